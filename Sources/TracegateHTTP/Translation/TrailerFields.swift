// An HTTP/1.1 trailer section -> the trailer fields of an HTTP/2 stream (RFC 9112 §7.1.2, RFC 9113 §8.1).

/// Turns the trailer-section of a chunked HTTP/1.1 body (as reported by
/// ``BodyTracker/consume(_:payload:trailer:)``) into the field block of the HEADERS frame that ends an
/// HTTP/2 stream.
public enum TrailerFields {
  /// Parses `raw`, a sequence of `field-name ":" OWS field-value OWS CRLF` lines (optionally followed by
  /// the empty line that ends the section), into `block`.
  ///
  /// Names are lower-cased (RFC 9113 §8.2.1) and values stripped of their optional whitespace (RFC 9112
  /// §5.1). Connection-specific fields (`Connection`, `Keep-Alive`, `Proxy-Connection`,
  /// `Transfer-Encoding`, `Upgrade`, RFC 9113 §8.2.2) and the other hop-by-hop fields (`TE`, `Trailer`,
  /// RFC 9110 §7.6.1) are left out: a proxy does not forward them, and an HTTP/2 peer would treat the
  /// stream as malformed.
  /// - Parameters:
  ///   - raw: the trailer-section bytes.
  ///   - block: emptied (keeping its capacity), then filled.
  /// - Throws: ``HTTPParseError``: `.obsFold` for a line starting with SP or HTAB (RFC 9112 §5.2),
  ///   `.invalidHeaderName` for a name that is not a token or is followed by whitespace (§5.1),
  ///   `.invalidHeaderValue` for a byte outside field-value (RFC 9110 §5.5), a CR not followed by LF, a
  ///   line without CRLF, or bytes after the empty line, `.bareLineFeed` for LF without CR (§2.2).
  public static func parse(_ raw: UnsafeRawBufferPointer, into block: inout FieldBlock) throws(HTTPParseError) {
    block.removeAll()
    guard let p = raw.baseAddress else { return }
    let n = raw.count
    var i = 0
    while i < n {
      var b = ASCII.byte(p, i)
      if b == ASCII.cr {
        // The empty line ending the section: it must be CRLF and the last bytes.
        guard i + 1 < n, ASCII.byte(p, i + 1) == ASCII.lf, i + 2 == n else {
          throw HTTPParseError(.invalidHeaderValue)
        }
        return
      }
      if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
      if ASCII.isWhitespace(b) { throw HTTPParseError(.obsFold) }

      let nameStart = i
      while i < n && ASCII.isTokenChar(ASCII.byte(p, i)) { i += 1 }
      guard i < n, i > nameStart, ASCII.byte(p, i) == ASCII.colon else { throw HTTPParseError(.invalidHeaderName) }
      let nameEnd = i
      i += 1
      while i < n && ASCII.isWhitespace(ASCII.byte(p, i)) { i += 1 }
      let valueStart = i
      var valueEnd = i
      while true {
        guard i < n else { throw HTTPParseError(.invalidHeaderValue) }  // no CRLF: truncated line
        b = ASCII.byte(p, i)
        if b == ASCII.cr { break }
        if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
        if !ASCII.isFieldValueChar(b) { throw HTTPParseError(.invalidHeaderValue) }
        i += 1
        if !ASCII.isWhitespace(b) { valueEnd = i }
      }
      guard i + 1 < n, ASCII.byte(p, i + 1) == ASCII.lf else { throw HTTPParseError(.invalidHeaderValue) }
      i += 2

      let known = HeaderName.classify(p + nameStart, nameEnd - nameStart)
      if known.isHopByHop || H2FieldRules.isConnectionSpecific(known) { continue }
      block.appendLowercasingName(
        UnsafeRawBufferPointer(start: p + nameStart, count: nameEnd - nameStart),
        value: UnsafeRawBufferPointer(start: p + valueStart, count: valueEnd - valueStart))
    }
  }

  /// Parses `raw` into a new block; see ``parse(_:into:)``. Allocates; the data path reuses a block.
  public static func parse(_ raw: UnsafeRawBufferPointer) throws(HTTPParseError) -> FieldBlock {
    var block = FieldBlock()
    try parse(raw, into: &block)
    return block
  }
}
