// A parsed request head, as offsets into the receive buffer.

/// A request head parsed in place by ``HeadParser/parseRequest(_:limits:into:)``.
///
/// Keep one per connection and parse into it again for each request: the parser empties ``headers`` with
/// `removeAll(keepingCapacity: true)`, so once its capacity is warm a parse allocates nothing. Every range
/// is an offset into the buffer that was parsed.
public struct RequestHead: Equatable, Sendable {
  /// The classified method.
  public var method: HTTPMethod
  /// The method token's bytes (for `.other` methods and for rewriting).
  public var methodRange: ByteRange
  /// The request-target (origin-, absolute-, authority- or asterisk-form, RFC 9112 §3.2).
  public var target: ByteRange
  /// HTTP/1.0 or HTTP/1.1.
  public var version: HTTPVersion
  /// The field lines in order. The parser empties and refills this array, keeping its capacity.
  public var headers: [HeaderField]
  /// Bytes of the head including the final CRLFCRLF and any leading empty lines that were skipped; the body
  /// (or the next request) starts at this offset.
  public var headLength: Int
  /// How the body is delimited: `.none`, `.contentLength(n)` or `.chunked` (never `.untilClose`,
  /// RFC 9112 §6.3 item 7: a request without framing has no body).
  public var framing: BodyFraming
  /// Whether the client connection may be reused: HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with
  /// a `keep-alive` option and no `close` (RFC 9112 §9.3).
  public var keepAlive: Bool
  /// `Expect: 100-continue` on an HTTP/1.1 request (RFC 9110 §10.1.1: ignored for HTTP/1.0).
  public var expectsContinue: Bool
  /// `Connection` has the `upgrade` option and an `Upgrade` field is present (RFC 9110 §7.8); then
  /// `Connection` and `Upgrade` are kept for tunnelling.
  public var upgrade: Bool
  /// Index into ``headers`` of the `Host` field, -1 when there is none (HTTP/1.0 only).
  public var hostIndex: Int
  /// The value of a valid `Content-Length` (also on bodiless responses such as HEAD or 304, where it is
  /// metadata); nil when absent or overridden by Transfer-Encoding.
  public var contentLength: UInt64?
  /// True when `Content-Length` came as a list (`5, 5`) or in several fields with the same value
  /// (RFC 9110 §8.6 allows accepting it). All those fields are then marked `drop` and ``HeadWriter`` writes
  /// one `Content-Length: <n>` where the first stood, so the next hop never sees the list form.
  public var rewritesContentLength: Bool

  /// True when a chunked body's `Transfer-Encoding` is anything but one field in canonical form (`chunked`,
  /// `gzip, chunked`): several fields, other case, empty list elements, unusual whitespace. Those fields are
  /// then marked `drop` and ``HeadWriter`` writes one canonical `Transfer-Encoding: <codings>, chunked`
  /// where the first stood, so the next hop never has to interpret an unusual spelling of the framing
  /// (a classic desynchronisation vector) while the codings that describe the raw bytes are preserved.
  public var rewritesTransferEncoding: Bool

  /// An empty head, ready to be parsed into.
  public init() {
    method = .get
    methodRange = .empty
    target = .empty
    version = .http1_1
    headers = []
    headLength = 0
    framing = .none
    keepAlive = true
    expectsContinue = false
    upgrade = false
    hostIndex = -1
    rewritesContentLength = false
    contentLength = nil
    rewritesTransferEncoding = false
  }

  /// An empty head whose ``headers`` array already has room for `headerCapacity` fields, so even the first
  /// parse does not allocate.
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
    method = .get
    methodRange = .empty
    target = .empty
    version = .http1_1
    headers.removeAll(keepingCapacity: true)
    headLength = 0
    framing = .none
    keepAlive = true
    expectsContinue = false
    upgrade = false
    hostIndex = -1
    rewritesContentLength = false
    contentLength = nil
    rewritesTransferEncoding = false
  }
}
