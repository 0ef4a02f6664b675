// Comma-separated list values (RFC 9110 §5.6.1).

/// Splits list-valued fields (`#element`, RFC 9110 §5.6.1) without allocating.
public enum HeaderValueTokens {
  /// Calls `body` with each non-empty element of the comma-separated list in `value`, with surrounding
  /// OWS removed. Empty elements (`a,,b`, a trailing comma) are skipped as §5.6.1 requires of recipients.
  /// Commas inside a quoted-string (`"a,b"`, with `\` escapes) do not split, so parameters such as
  /// `gzip;q="1,0"` stay whole.
  public static func forEachToken(in value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
    guard let base = value.baseAddress else { return }
    let count = value.count
    var i = 0
    while i < count {
      // Skip separators and OWS before an element.
      var b = ASCII.byte(base, i)
      if b == ASCII.comma || ASCII.isWhitespace(b) {
        i += 1
        continue
      }
      let start = i
      var end = i
      var inQuotes = false
      while i < count {
        b = ASCII.byte(base, i)
        if inQuotes {
          if b == ASCII.backslash {
            i += 1  // skip the escaped byte
          } else if b == ASCII.quote {
            inQuotes = false
          }
        } else if b == ASCII.quote {
          inQuotes = true
        } else if b == ASCII.comma {
          break
        }
        i += 1
        if !ASCII.isWhitespace(b) || inQuotes { end = min(i, count) }
      }
      if end > start { body(UnsafeRawBufferPointer(start: base + start, count: end - start)) }
    }
  }
}
