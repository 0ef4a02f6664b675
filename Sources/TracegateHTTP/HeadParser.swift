// Entry points of the in-place HTTP/1.1 head parser.

/// Strict, allocation-free HTTP/1.1 head parser (RFC 9112, RFC 9110).
///
/// Heads are parsed into byte offsets in one forward pass over the bytes received so far. The parser keeps
/// no state between calls: on `.incomplete`, read more and call again with the grown buffer starting at the
/// same byte. Errors are thrown as soon as the bytes at hand prove the head invalid (an over-long target or
/// an oversized head is reported before the head is complete), so a hostile client cannot make the proxy
/// buffer more than the limits allow. Rules that need the whole head (Host, framing) are checked once it is
/// complete.
///
/// Strictness follows nginx and llhttp's strict mode: bare LF (RFC 9112 §2.2 allows rejecting it),
/// obs-fold (§5.2), whitespace before the colon (§5.1) and every Content-Length/Transfer-Encoding
/// ambiguity (§6.1, §6.3) are rejected, because each is a known request-smuggling vector when two hops
/// disagree.
public enum HeadParser {
  /// Empty lines tolerated before a request-line: RFC 9112 §2.2 asks a server to ignore at least one.
  static let maxLeadingEmptyLines = 4

  /// Parses a request head at the start of `buffer`.
  ///
  /// - Parameters:
  ///   - buffer: the received bytes, starting at the first byte of the request (offsets in `head` are
  ///     relative to it).
  ///   - limits: size limits; exceeding one throws as soon as it is exceeded.
  ///   - head: reused storage for the result; reset at every call.
  /// - Returns: `.complete` when `head` holds a valid head of `head.headLength` bytes; `.incomplete` when
  ///   more bytes are needed.
  /// - Throws: ``HTTPParseError`` with the rule that was broken; ``HTTPParseError/status`` is the answer.
  public static func parseRequest(
    _ buffer: UnsafeRawBufferPointer, limits: HeadLimits, into head: inout RequestHead
  ) throws(HTTPParseError) -> ParseStatus {
    head.reset()
    let limit = min(buffer.count, limits.maxHeadBytes)
    guard let p = buffer.baseAddress, limit > 0 else { return try notComplete(buffer.count, limits) }
    let lineEnd = try scanRequestLine(p, limit: limit, limits: limits, into: &head)
    if lineEnd < 0 { return try notComplete(buffer.count, limits) }
    let end = try scanFields(p, from: lineEnd, limit: limit, maxCount: limits.maxHeaderCount, into: &head.headers)
    if end < 0 { return try notComplete(buffer.count, limits) }
    head.headLength = end
    try applyRequestSemantics(p, &head)
    return .complete
  }

  /// Parses a response head at the start of `buffer`.
  ///
  /// - Parameters:
  ///   - buffer: the received bytes, starting at the status-line.
  ///   - requestMethod: the method of the request this answers; HEAD and CONNECT change the framing
  ///     (RFC 9112 §6.3 items 1 and 2).
  ///   - limits: size limits (``HeadLimits/maxURILength`` is unused).
  ///   - head: reused storage for the result.
  /// - Returns: `.complete` or `.incomplete`, as for requests.
  /// - Throws: ``HTTPParseError``; a proxy answers its client 502 for any of them.
  public static func parseResponse(
    _ buffer: UnsafeRawBufferPointer, requestMethod: HTTPMethod, limits: HeadLimits, into head: inout ResponseHead
  ) throws(HTTPParseError) -> ParseStatus {
    head.reset()
    let limit = min(buffer.count, limits.maxHeadBytes)
    guard let p = buffer.baseAddress, limit > 0 else { return try notComplete(buffer.count, limits) }
    let lineEnd = try scanStatusLine(p, limit: limit, into: &head)
    if lineEnd < 0 { return try notComplete(buffer.count, limits) }
    let end = try scanFields(p, from: lineEnd, limit: limit, maxCount: limits.maxHeaderCount, into: &head.headers)
    if end < 0 { return try notComplete(buffer.count, limits) }
    head.headLength = end
    try applyResponseSemantics(p, &head, requestMethod: requestMethod)
    return .complete
  }

  /// Whether parsing `buffer` again can give a different answer than the `.incomplete` it gave when it held
  /// `previousCount` bytes.
  ///
  /// The parser keeps no state, so a client that sends a large head a byte at a time would make a caller
  /// that re-parses on every read do quadratic work. A head can only complete when a LF arrives, so callers
  /// re-parse only when this returns true: on the first bytes (to reject garbage such as a TLS hello at
  /// once), when a LF arrived, or when the buffer reached `maxHeadBytes`. Other errors, including
  /// ``HTTPParseError/Kind/uriTooLong``, are then reported at the latest when their line ends or the head
  /// limit is reached. Cost: one pass over the new bytes only.
  public static func worthReparsing(
    _ buffer: UnsafeRawBufferPointer, previousCount: Int, limits: HeadLimits
  ) -> Bool {
    if previousCount <= 0 || buffer.count >= limits.maxHeadBytes { return true }
    guard let p = buffer.baseAddress else { return false }
    var i = min(previousCount, buffer.count)
    while i < buffer.count {
      if ASCII.byte(p, i) == ASCII.lf { return true }
      i += 1
    }
    return false
  }

  /// The answer when the scan ran out of bytes: `.incomplete`, unless the buffer already holds
  /// `maxHeadBytes` bytes, in which case the head can no longer fit and ``HTTPParseError/Kind/headersTooLarge``
  /// is thrown.
  @inline(__always)
  static func notComplete(_ count: Int, _ limits: HeadLimits) throws(HTTPParseError) -> ParseStatus {
    if count >= limits.maxHeadBytes { throw HTTPParseError(.headersTooLarge) }
    return .incomplete
  }
}
