// Protocol versions.

/// The HTTP/1.x minor version of a message. Only HTTP/1.0 and HTTP/1.1 are accepted (RFC 9112 §2.3);
/// anything else is ``HTTPParseError/Kind/unsupportedVersion``.
public enum HTTPVersion: UInt8, Sendable {
  case http1_0, http1_1
}
