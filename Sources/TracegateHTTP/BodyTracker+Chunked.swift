// The chunked transfer coding as a byte-at-a-time state machine (RFC 9112 §7.1).

extension BodyTracker {
  /// Advances through chunked framing:
  /// ```
  /// chunked-body = *chunk last-chunk trailer-section CRLF
  /// chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
  /// chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
  /// ```
  /// Strict: 1-16 hex digits (no `0x`, sign or trailing junk), whitespace only where BWS is allowed, CRLF
  /// exactly where the grammar has it (bare LF → ``HTTPParseError/Kind/bareLineFeed``, anything else →
  /// ``HTTPParseError/Kind/invalidChunkTerminator``), trailer fields validated like header fields.
  /// Chunk data is skipped in bulk; everything else is one switch per byte.
  ///
  /// Payload spans go to `payload` when `Mode.reportsPayload`. When `Mode.reportsTrailers`, the bytes of
  /// the trailer-section (the field lines with their CRLFs, not the final CRLF) go to `trailer` in order,
  /// one span per contiguous run inside `p`.
  /// - Returns: bytes of `p` that belong to the body (stops right after the final CRLF).
  mutating func consumeChunked<Mode: BodySpanMode>(
    _ p: UnsafeRawPointer, _ n: Int, _ payload: (UnsafeRawBufferPointer) -> Void,
    _ trailer: (UnsafeRawBufferPointer) -> Void, _ mode: Mode.Type
  ) throws(HTTPParseError) -> Int {
    // Start in `p` of the trailer bytes not yet reported, -1 when outside the trailer-section.
    var trailerStart = -1
    if Mode.reportsTrailers && (phase == .trailerName || phase == .trailerValue || phase == .trailerLF) {
      trailerStart = 0
    }
    var i = 0
    while i < n {
      if phase == .data {
        let available = UInt64(n - i)
        let take = remaining < available ? Int(remaining) : n - i
        if Mode.reportsPayload { payload(UnsafeRawBufferPointer(start: p + i, count: take)) }
        payloadBytes &+= UInt64(take)
        remaining -= UInt64(take)
        i += take
        if remaining == 0 { phase = .dataCR }
        continue
      }
      let b = ASCII.byte(p, i)
      i += 1
      if b == ASCII.lf && phase != .sizeLF && phase != .dataLF && phase != .trailerLF && phase != .finalLF {
        throw HTTPParseError(.bareLineFeed)
      }
      switch phase {
      case .size:
        if let h = ASCII.hexValue(b) {
          if sizeDigits == BodyTracker.maxChunkSizeDigits { throw HTTPParseError(.invalidChunkSize) }
          remaining = remaining << 4 | UInt64(h)
          sizeDigits += 1
        } else if sizeDigits == 0 {
          throw HTTPParseError(.invalidChunkSize)
        } else if b == ASCII.cr {
          phase = .sizeLF
        } else if b == ASCII.semicolon {
          try countExtension()
          phase = .extBeforeName
        } else if ASCII.isWhitespace(b) {
          try countExtension()
          phase = .sizeBWS
        } else {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .sizeBWS:
        try countExtension()
        if b == ASCII.semicolon {
          phase = .extBeforeName
        } else if !ASCII.isWhitespace(b) {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extBeforeName:
        try countExtension()
        if ASCII.isTokenChar(b) {
          phase = .extName
        } else if !ASCII.isWhitespace(b) {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extName, .extToken:
        if b == ASCII.cr {
          phase = .sizeLF
          break
        }
        try countExtension()
        if ASCII.isTokenChar(b) { break }
        if ASCII.isWhitespace(b) {
          phase = phase == .extName ? .extAfterName : .extAfterValue
        } else if b == ASCII.semicolon {
          phase = .extBeforeName
        } else if b == ASCII.equals && phase == .extName {
          phase = .extBeforeValue
        } else {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extAfterName:
        try countExtension()
        if b == ASCII.equals {
          phase = .extBeforeValue
        } else if b == ASCII.semicolon {
          phase = .extBeforeName
        } else if !ASCII.isWhitespace(b) {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extBeforeValue:
        try countExtension()
        if b == ASCII.quote {
          phase = .extQuoted
        } else if ASCII.isTokenChar(b) {
          phase = .extToken
        } else if !ASCII.isWhitespace(b) {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extQuoted:
        try countExtension()
        if b == ASCII.quote {
          phase = .extAfterQuoted
        } else if b == ASCII.backslash {
          phase = .extQuotedEscape
        } else if !ASCII.isFieldValueChar(b) {  // qdtext: HTAB, SP, VCHAR except '"' '\', obs-text
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extQuotedEscape:
        try countExtension()
        if !ASCII.isFieldValueChar(b) { throw HTTPParseError(.invalidChunkSize) }
        phase = .extQuoted
      case .extAfterQuoted:
        if b == ASCII.cr {
          phase = .sizeLF
          break
        }
        try countExtension()
        if b == ASCII.semicolon {
          phase = .extBeforeName
        } else if ASCII.isWhitespace(b) {
          phase = .extAfterValue
        } else {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .extAfterValue:
        try countExtension()
        if b == ASCII.semicolon {
          phase = .extBeforeName
        } else if !ASCII.isWhitespace(b) {
          throw HTTPParseError(.invalidChunkSize)
        }
      case .sizeLF:
        if b != ASCII.lf { throw HTTPParseError(.invalidChunkTerminator) }
        phase = remaining == 0 ? .trailerLineStart : .data
      case .dataCR:
        if b != ASCII.cr { throw HTTPParseError(.invalidChunkTerminator) }
        phase = .dataLF
      case .dataLF:
        if b != ASCII.lf { throw HTTPParseError(.invalidChunkTerminator) }
        phase = .size
        remaining = 0
        sizeDigits = 0
        extensionBytes = 0
      case .trailerLineStart:
        if b == ASCII.cr {
          if Mode.reportsTrailers && trailerStart >= 0 {
            trailer(UnsafeRawBufferPointer(start: p + trailerStart, count: i - 1 - trailerStart))
            trailerStart = -1
          }
          phase = .finalLF
          break
        }
        if ASCII.isWhitespace(b) { throw HTTPParseError(.obsFold) }
        if !ASCII.isTokenChar(b) { throw HTTPParseError(.invalidHeaderName) }
        try countTrailer()
        if Mode.reportsTrailers && trailerStart < 0 { trailerStart = i - 1 }
        phase = .trailerName
      case .trailerName:
        try countTrailer()
        if b == ASCII.colon {
          phase = .trailerValue
        } else if !ASCII.isTokenChar(b) {
          throw HTTPParseError(.invalidHeaderName)
        }
      case .trailerValue:
        try countTrailer()
        if b == ASCII.cr {
          phase = .trailerLF
        } else if !ASCII.isFieldValueChar(b) {
          throw HTTPParseError(.invalidHeaderValue)
        }
      case .trailerLF:
        try countTrailer()
        if b != ASCII.lf { throw HTTPParseError(.invalidHeaderValue) }
        phase = .trailerLineStart
      case .finalLF:
        if b != ASCII.lf { throw HTTPParseError(.invalidChunkTerminator) }
        phase = .done
        return i
      case .done, .fixed, .untilClose, .data:
        return i - 1  // unreachable: handled before the switch or by the caller
      }
    }
    if Mode.reportsTrailers && trailerStart >= 0 {
      trailer(UnsafeRawBufferPointer(start: p + trailerStart, count: i - trailerStart))
    }
    return i
  }

  @inline(__always)
  private mutating func countExtension() throws(HTTPParseError) {
    extensionBytes += 1
    if extensionBytes > BodyTracker.maxChunkExtensionBytes { throw HTTPParseError(.chunkExtensionTooLong) }
  }

  @inline(__always)
  private mutating func countTrailer() throws(HTTPParseError) {
    trailerBytes += 1
    if trailerBytes > maxTrailerBytes { throw HTTPParseError(.trailersTooLarge) }
  }
}
