// The status-line: HTTP-version SP status-code SP [ reason-phrase ] CRLF (RFC 9112 §4).

extension HeadParser {
  /// Scans the status-line into `head`.
  ///
  /// Accepts a missing SP before an empty reason-phrase (`HTTP/1.1 200\r\n`), as nginx and most clients do,
  /// although RFC 9112 §4 requires the SP.
  /// - Returns: the offset just past the status-line's CRLF, or -1 when more bytes are needed.
  static func scanStatusLine(
    _ p: UnsafeRawPointer, limit: Int, into head: inout ResponseHead
  ) throws(HTTPParseError) -> Int {
    guard let version = try scanVersion(p, at: 0, limit: limit, malformed: .malformedStatusLine) else {
      return -1
    }
    head.version = version
    guard 8 < limit else { return -1 }
    if ASCII.byte(p, 8) != ASCII.space { throw HTTPParseError(.malformedStatusLine) }
    // status-code = 3DIGIT, 100...599 (RFC 9110 §15).
    var code = 0
    var i = 9
    while i < 12 {
      guard i < limit else { return -1 }
      let d = ASCII.byte(p, i) &- ASCII.zero
      if d >= 10 { throw HTTPParseError(.malformedStatusLine) }
      code = code * 10 + Int(d)
      i += 1
    }
    if code < 100 || code > 599 { throw HTTPParseError(.malformedStatusLine) }
    head.statusCode = code
    guard i < limit else { return -1 }
    var b = ASCII.byte(p, i)
    if b == ASCII.space {
      i += 1
    } else if b == ASCII.lf {
      throw HTTPParseError(.bareLineFeed)
    } else if b != ASCII.cr {
      throw HTTPParseError(.malformedStatusLine)
    }
    // reason-phrase = *( HTAB / SP / VCHAR / obs-text )
    let reasonStart = i
    while true {
      guard i < limit else { return -1 }
      b = ASCII.byte(p, i)
      if ASCII.isFieldValueChar(b) {
        i += 1
        continue
      }
      if b == ASCII.cr { break }
      if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
      throw HTTPParseError(.malformedStatusLine)
    }
    head.reason = ByteRange(start: reasonStart, end: i)
    guard i + 1 < limit else { return -1 }
    if ASCII.byte(p, i + 1) != ASCII.lf { throw HTTPParseError(.malformedStatusLine) }
    return i + 2
  }
}
