// Content-Length field values, including the list form.

/// Parses `Content-Length` values (RFC 9110 §8.6): `1*DIGIT`, or a comma-separated list whose elements are
/// all the same number (`5, 5`), which a recipient may accept as that number.
enum ContentLengthValue {
  /// Largest accepted length, 2^62: larger values are rejected rather than risking overflow downstream.
  static let maximum: UInt64 = 1 << 62

  /// The outcome of parsing one field value.
  struct Parsed {
    var value: UInt64 = 0
    /// Number of list elements (1 for a plain number).
    var elements = 0
    /// ``HTTPParseError/Kind/invalidContentLength`` or ``HTTPParseError/Kind/conflictingContentLength``.
    var error: HTTPParseError.Kind?
  }

  /// Parses the value at `range` of `p`. Empty values, empty list elements, signs, hex, inner spaces and
  /// values above ``maximum`` are invalid; differing list elements conflict.
  static func parse(_ p: UnsafeRawPointer, _ range: ByteRange) -> Parsed {
    var out = Parsed()
    var i = range.start
    let end = range.end
    while true {
      while i < end && ASCII.isWhitespace(ASCII.byte(p, i)) { i += 1 }
      let digitsStart = i
      var v: UInt64 = 0
      while i < end {
        let d = ASCII.byte(p, i) &- ASCII.zero
        if d >= 10 { break }
        if v > maximum / 10 {
          out.error = .invalidContentLength
          return out
        }
        v = v * 10 + UInt64(d)
        if v > maximum {
          out.error = .invalidContentLength
          return out
        }
        i += 1
      }
      if i == digitsStart {
        out.error = .invalidContentLength
        return out
      }
      while i < end && ASCII.isWhitespace(ASCII.byte(p, i)) { i += 1 }
      if out.elements > 0 && v != out.value {
        out.error = .conflictingContentLength
        return out
      }
      out.value = v
      out.elements += 1
      if i == end { return out }
      if ASCII.byte(p, i) != ASCII.comma {
        out.error = .invalidContentLength
        return out
      }
      i += 1
    }
  }
}
