// The scheme an HTTP/2 request names in :scheme.

/// The `:scheme` of a request sent to an HTTP/2 upstream (RFC 9113 §8.3.1): the scheme of the connection
/// to that upstream, `https` over TLS and `http` over cleartext (h2c with prior knowledge).
public enum HTTPScheme: UInt8, Sendable {
  case http, https

  /// The scheme's bytes as they go into `:scheme`.
  var literal: StaticString {
    switch self {
    case .http: return "http"
    case .https: return "https"
    }
  }
}
