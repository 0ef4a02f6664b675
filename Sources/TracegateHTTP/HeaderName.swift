// Well-known header names, classified while parsing.

/// Header names the proxy acts on, classified case-insensitively while a head is parsed so that the data
/// plane switches on a byte instead of comparing strings (field names are case-insensitive, RFC 9110 §5.1).
///
/// `.other` is every name not listed here; compare such names with ``ByteCompare``.
public enum HeaderName: UInt8, Sendable {
  case other, host, contentLength, transferEncoding, connection, keepAlive, proxyConnection, te, trailer,
    upgrade, expect, via, forwarded, xForwardedFor, xForwardedProto, xForwardedHost, traceparent, tracestate,
    baggage, cookie, setCookie, authorization, proxyAuthorization, proxyAuthenticate, userAgent, retryAfter,
    idempotencyKey, http2Settings, date, server

  /// True for the connection-specific fields a proxy removes before forwarding (RFC 9110 §7.6.1), plus
  /// `Trailer` as RFC 7230 listed it. `Transfer-Encoding` is deliberately *not* included: Tracegate forwards
  /// bodies raw with their framing, so the coding list must travel with them (see ``HeaderField/drop``).
  public var isHopByHop: Bool {
    switch self {
    case .connection, .keepAlive, .proxyConnection, .te, .trailer, .upgrade: return true
    default: return false
    }
  }

  /// Fields that a `Connection` option must never remove: dropping them would change the framing
  /// (`Content-Length`, `Transfer-Encoding`, a request-smuggling vector) or the routing (`Host`) of the
  /// forwarded message.
  var isProtectedFromConnectionOption: Bool {
    switch self {
    case .host, .contentLength, .transferEncoding: return true
    default: return false
    }
  }
}
