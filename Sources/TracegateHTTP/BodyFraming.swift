// How a message body is delimited.

/// How the body of a message is delimited (RFC 9112 §6.3).
public enum BodyFraming: Equatable, Sendable {
  /// No body follows the head.
  case none
  /// Exactly this many bytes follow (RFC 9112 §6.2).
  case contentLength(UInt64)
  /// The chunked transfer coding (RFC 9112 §7.1).
  case chunked
  /// The body ends when the server closes the connection (responses only, RFC 9112 §6.3 item 8).
  case untilClose
}
