// A parsed response head, as offsets into the receive buffer.

/// A response head parsed in place by ``HeadParser/parseResponse(_:requestMethod:limits:into:)``.
/// Reuse it across responses as with ``RequestHead``.
public struct ResponseHead: Equatable, Sendable {
  /// The three-digit status code, 100...599.
  public var statusCode: Int
  /// The reason-phrase (may be empty).
  public var reason: ByteRange
  /// HTTP/1.0 or HTTP/1.1.
  public var version: HTTPVersion
  /// The field lines in order.
  public var headers: [HeaderField]
  /// Bytes of the head including the final CRLFCRLF.
  public var headLength: Int
  /// How the body is delimited, per RFC 9112 §6.3 given the request method: no body for HEAD, 1xx, 204,
  /// 304 and 2xx to CONNECT; else chunked, else Content-Length, else until close.
  public var framing: BodyFraming
  /// Whether the upstream connection may be reused: false for `.untilClose`, `Connection: close`, or
  /// HTTP/1.0 without a `keep-alive` option.
  public var keepAlive: Bool
  /// A 101 response whose `Connection` has `upgrade` and which carries `Upgrade`; then `Connection` and
  /// `Upgrade` are kept so the client sees the switch.
  public var upgrade: Bool
  /// The value of a valid `Content-Length` (also on bodiless responses such as HEAD or 304, where it is
  /// metadata); nil when absent or overridden by Transfer-Encoding.
  public var contentLength: UInt64?
  /// As ``RequestHead/rewritesContentLength``.
  public var rewritesContentLength: Bool

  /// As ``RequestHead/rewritesTransferEncoding``.
  public var rewritesTransferEncoding: Bool

  /// An empty head, ready to be parsed into.
  public init() {
    statusCode = 0
    reason = .empty
    version = .http1_1
    headers = []
    headLength = 0
    framing = .none
    keepAlive = true
    upgrade = false
    rewritesContentLength = false
    contentLength = nil
    rewritesTransferEncoding = false
  }

  /// An empty head with room for `headerCapacity` fields.
  public init(headerCapacity: Int) {
    self.init()
    headers.reserveCapacity(headerCapacity)
  }

  /// Index of the first field with the given well-known name, or nil.
  public func firstIndex(of name: HeaderName) -> Int? {
    var i = 0
    while i < headers.count {
      if headers[i].known == name { return i }
      i += 1
    }
    return nil
  }

  /// Resets every property for a new parse, keeping the capacity of ``headers``.
  mutating func reset() {
    statusCode = 0
    reason = .empty
    version = .http1_1
    headers.removeAll(keepingCapacity: true)
    headLength = 0
    framing = .none
    keepAlive = true
    upgrade = false
    rewritesContentLength = false
    contentLength = nil
    rewritesTransferEncoding = false
  }
}
