// Field lines: field-name ":" OWS field-value OWS CRLF, up to the empty line (RFC 9112 §5).

extension HeadParser {
  /// Scans field lines from `start` up to and including the empty line that ends the head, appending one
  /// ``HeaderField`` per line to `headers` (whose capacity is reused).
  ///
  /// Rejects: a line starting with SP/HTAB (obs-fold, RFC 9112 §5.2), an empty or non-token name or
  /// whitespace before the colon (§5.1), a value byte outside VCHAR / obs-text / SP / HTAB (RFC 9110 §5.5,
  /// which also catches NUL and a lone CR), a bare LF (§2.2), and more than `maxCount` lines.
  /// - Returns: the offset just past the final CRLF, or -1 when more bytes are needed.
  static func scanFields(
    _ p: UnsafeRawPointer, from start: Int, limit: Int, maxCount: Int, into headers: inout [HeaderField]
  ) throws(HTTPParseError) -> Int {
    var i = start
    while true {
      guard i < limit else { return -1 }
      var b = ASCII.byte(p, i)
      if b == ASCII.cr {
        guard i + 1 < limit else { return -1 }
        if ASCII.byte(p, i + 1) != ASCII.lf { throw HTTPParseError(.invalidHeaderName) }
        return i + 2
      }
      if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
      if ASCII.isWhitespace(b) { throw HTTPParseError(.obsFold) }
      if headers.count >= maxCount { throw HTTPParseError(.tooManyHeaders) }

      let lineStart = i
      while ASCII.isTokenChar(b) {
        i += 1
        guard i < limit else { return -1 }
        b = ASCII.byte(p, i)
      }
      if b != ASCII.colon || i == lineStart {
        if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
        throw HTTPParseError(.invalidHeaderName)
      }
      let nameEnd = i
      i += 1

      // OWS before the value.
      while true {
        guard i < limit else { return -1 }
        b = ASCII.byte(p, i)
        if !ASCII.isWhitespace(b) { break }
        i += 1
      }
      // The value; `valueEnd` trails the last non-whitespace byte so trailing OWS is trimmed. Runs of
      // VCHAR/obs-text are skipped eight bytes at a time; every other byte is looked at one by one.
      let valueStart = i
      var valueEnd = i
      while true {
        while i &+ 8 <= limit {
          let special = ASCII.fieldSpecialMask(ASCII.word(p, i))
          if special != 0 {
            let skip = special.trailingZeroBitCount >> 3
            if skip > 0 {
              i &+= skip
              valueEnd = i
            }
            break
          }
          i &+= 8
          valueEnd = i
        }
        guard i < limit else { return -1 }
        b = ASCII.byte(p, i)
        if b > ASCII.space && b != ASCII.del {
          i += 1
          valueEnd = i
        } else if b == ASCII.space || b == ASCII.htab {
          i += 1
        } else if b == ASCII.cr {
          break
        } else if b == ASCII.lf {
          throw HTTPParseError(.bareLineFeed)
        } else {
          throw HTTPParseError(.invalidHeaderValue)
        }
      }
      guard i + 1 < limit else { return -1 }
      if ASCII.byte(p, i + 1) != ASCII.lf { throw HTTPParseError(.invalidHeaderValue) }
      i += 2

      let known = HeaderName.classify(p + lineStart, nameEnd - lineStart)
      headers.append(
        HeaderField(
          name: ByteRange(start: lineStart, end: nameEnd),
          value: ByteRange(start: valueStart, end: valueEnd),
          line: ByteRange(start: lineStart, end: i),
          known: known,
          drop: known.isHopByHop
        )
      )
    }
  }
}
