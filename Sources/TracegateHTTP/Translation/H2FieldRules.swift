// The field rules every HTTP/2 field block must follow (RFC 9113 §8.2), checked without allocating.

/// Checks of single HTTP/2 fields shared by the translators.
///
/// Why strict: the translated fields become HTTP/1.1 text, so any byte HTTP/1.1 would read differently
/// (a CR or LF in a value, a space in a name) would let a client inject fields or requests (RFC 9113
/// §8.2.1, "response splitting"). Everything the HTTP/1.1 parser would refuse is refused here first, so the
/// written head always parses back to the same fields.
enum H2FieldRules {
  /// True for the fields RFC 9113 §8.2.2 calls connection-specific: an HTTP/2 message carrying one is
  /// malformed, and a translator never sends one over HTTP/2. `TE` is handled on its own (``isTrailers(_:)``).
  @inline(__always)
  static func isConnectionSpecific(_ known: HeaderName) -> Bool {
    switch known {
    case .connection, .keepAlive, .proxyConnection, .transferEncoding, .upgrade: return true
    default: return false
    }
  }

  /// The problem with a regular field name, or nil: it must be a non-empty token (RFC 9110 §5.6.2, which
  /// HTTP/1.1 requires of names) without upper-case letters (RFC 9113 §8.2.1).
  static func nameProblem(_ name: UnsafeRawBufferPointer) -> H2TranslationError.Kind? {
    guard let p = name.baseAddress, name.count > 0 else { return .invalidFieldName }
    var i = 0
    while i < name.count {
      let b = ASCII.byte(p, i)
      if b &- 0x41 < 26 { return .uppercaseFieldName }
      if !ASCII.isTokenChar(b) { return .invalidFieldName }
      i += 1
    }
    return nil
  }

  /// True when `value` may travel in both protocols unchanged: no byte outside VCHAR / obs-text / SP /
  /// HTAB (RFC 9110 §5.5, which also excludes the NUL, CR and LF of RFC 9113 §8.2.1) and no SP or HTAB at
  /// either end (RFC 9113 §8.2.1; HTTP/1.1 would trim them, RFC 9112 §5.1). Runs of ordinary bytes are
  /// skipped eight at a time.
  static func isValidValue(_ value: UnsafeRawBufferPointer) -> Bool {
    let n = value.count
    guard let p = value.baseAddress, n > 0 else { return true }
    if ASCII.isWhitespace(ASCII.byte(p, 0)) || ASCII.isWhitespace(ASCII.byte(p, n - 1)) { return false }
    var i = 0
    while i < n {
      if i &+ 8 <= n {
        let special = ASCII.fieldSpecialMask(ASCII.word(p, i))
        if special == 0 {
          i &+= 8
          continue
        }
        i &+= special.trailingZeroBitCount >> 3
      }
      if !ASCII.isFieldValueChar(ASCII.byte(p, i)) { return false }
      i += 1
    }
    return true
  }

  /// True when a `TE` value is `trailers`, the only value HTTP/2 allows (RFC 9113 §8.2.2; codings are
  /// case-insensitive, RFC 9110 §10.1.4).
  @inline(__always)
  static func isTrailers(_ value: UnsafeRawBufferPointer) -> Bool {
    ByteCompare.equalsCaseInsensitive(value, "trailers")
  }

  /// Checks a regular (non-pseudo) field of an HTTP/2 block and classifies its name.
  /// - Returns: the classified name, and the broken rule if any: name, value, connection-specific field,
  ///   `TE` other than `trailers`.
  static func checkRegular(
    _ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer
  ) -> (known: HeaderName, problem: H2TranslationError.Kind?) {
    if let problem = nameProblem(name) { return (.other, problem) }
    if !isValidValue(value) { return (.other, .invalidFieldValue) }
    let known = HeaderName.classify(name.baseAddress!, name.count)
    if isConnectionSpecific(known) { return (known, .connectionSpecificField) }
    if known == .te && !isTrailers(value) { return (known, .invalidTE) }
    return (known, nil)
  }

  /// True for a name starting with `:`, a pseudo-header field (RFC 9113 §8.3).
  @inline(__always)
  static func isPseudo(_ name: UnsafeRawBufferPointer) -> Bool {
    name.count > 0 && name[0] == ASCII.colon
  }

  /// Parses a `content-length` value (RFC 9110 §8.6; the list form `5, 5` is accepted as 5).
  static func contentLength(_ value: UnsafeRawBufferPointer) -> (value: UInt64, problem: H2TranslationError.Kind?) {
    guard let p = value.baseAddress, value.count > 0 else { return (0, .invalidContentLength) }
    let parsed = ContentLengthValue.parse(p, ByteRange(start: 0, end: value.count))
    switch parsed.error {
    case nil: return (parsed.value, nil)
    case .conflictingContentLength?: return (0, .conflictingContentLength)
    default: return (0, .invalidContentLength)
    }
  }
}
