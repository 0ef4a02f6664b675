// One parsed field line, as offsets.

/// One field line of a parsed head (RFC 9112 §5), as offsets into the parsed buffer.
public struct HeaderField: Equatable, Sendable {
  /// The field-name (no surrounding whitespace: RFC 9112 §5.1 forbids whitespace before the colon).
  public var name: ByteRange
  /// The field-value with leading and trailing optional whitespace removed (RFC 9112 §5.1).
  public var value: ByteRange
  /// The whole line including its CRLF; kept fields are copied verbatim from here by ``HeadWriter``.
  public var line: ByteRange
  /// The classified name, `.other` when it is not one Tracegate knows.
  public var known: HeaderName
  /// True when the field must not be forwarded. The parser sets it for:
  /// - the hop-by-hop fields of RFC 9110 §7.6.1: `Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`,
  ///   `Trailer`, `Upgrade`;
  /// - every field named by a `Connection` option (RFC 9110 §7.6.1), except `Host`, `Content-Length` and
  ///   `Transfer-Encoding`, whose removal would change routing or framing;
  /// - every `Content-Length` when ``RequestHead/rewritesContentLength`` is set (list form or repeated),
  ///   and every `Transfer-Encoding` when ``RequestHead/rewritesTransferEncoding`` is set (an unusual
  ///   spelling of chunked): ``HeadWriter`` emits one canonical field instead, where the first stood;
  /// - `Content-Length` in a response that also has `Transfer-Encoding` (RFC 9112 §6.3: Transfer-Encoding
  ///   wins), and both framing fields of an HTTP/1.0 response with Transfer-Encoding (§6.1).
  ///
  /// Exceptions, documented because they differ from a plain reading of RFC 9110 §7.6.1:
  /// - when ``RequestHead/upgrade`` (or ``ResponseHead/upgrade``) is true, `Connection` and `Upgrade` stay
  ///   un-dropped so a WebSocket (or other) upgrade can be tunnelled through;
  /// - `Transfer-Encoding` is not dropped as hop-by-hop: bodies are forwarded as raw bytes with their chunked
  ///   framing and any earlier codings (`gzip, chunked`), so the list that describes those bytes must go
  ///   with them; dropping it would leave the next hop to read chunked bytes as a new request (request
  ///   smuggling). It is kept verbatim when it reads exactly `chunked`, else re-emitted canonically.
  ///
  /// The caller may set it for more fields (sanitising untrusted headers).
  public var drop: Bool

  /// Creates a field from its offsets.
  public init(name: ByteRange, value: ByteRange, line: ByteRange, known: HeaderName, drop: Bool) {
    self.name = name
    self.value = value
    self.line = line
    self.known = known
    self.drop = drop
  }
}
