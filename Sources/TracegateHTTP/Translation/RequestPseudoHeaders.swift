// The request pseudo-header fields of an HTTP/2 block, found and checked (RFC 9113 §8.3.1).

/// The pseudo-header section at the start of a request block: where each field is, checked.
///
/// RFC 9113 §8.3: pseudo-header fields come before all regular fields, each at most once, and only the
/// ones defined for requests (`:method`, `:scheme`, `:authority`, `:path`, and `:protocol` of RFC 8441).
struct RequestPseudoHeaders {
  /// The `:method` value, a token.
  var method: UnsafeRawBufferPointer
  /// The `:path` value: origin-form, or `*` for OPTIONS.
  var path: UnsafeRawBufferPointer
  /// The `:authority` value (a valid, non-empty `uri-host [":" port]`), or nil when absent.
  var authority: UnsafeRawBufferPointer?
  /// Index of the first regular field.
  var firstRegular: Int

  /// Finds and checks the pseudo-header fields at the start of `fields` (whose store is `raw`).
  ///
  /// Precedence: the section's shape (order is checked later, by the caller, on each regular field),
  /// then `:method`; CONNECT is refused (501) before the fields it does not use are required.
  init(_ fields: FieldBlock, _ raw: UnsafeRawBufferPointer) throws(H2TranslationError) {
    var methodIndex = -1
    var schemeIndex = -1
    var pathIndex = -1
    var authorityIndex = -1
    var protocolIndex = -1
    var i = 0
    while i < fields.count {
      let name = fields.name(i, in: raw)
      if !H2FieldRules.isPseudo(name) { break }
      if ByteCompare.equalsExactly(name, ":method") {
        try Self.claim(&methodIndex, i)
      } else if ByteCompare.equalsExactly(name, ":scheme") {
        try Self.claim(&schemeIndex, i)
      } else if ByteCompare.equalsExactly(name, ":path") {
        try Self.claim(&pathIndex, i)
      } else if ByteCompare.equalsExactly(name, ":authority") {
        try Self.claim(&authorityIndex, i)
      } else if ByteCompare.equalsExactly(name, ":protocol") {
        try Self.claim(&protocolIndex, i)
      } else {
        throw .request(.unknownPseudoHeader)
      }
      i += 1
    }
    firstRegular = i

    guard methodIndex >= 0 else { throw .request(.missingMethod) }
    method = fields.value(methodIndex, in: raw)
    if !Self.isToken(method) { throw .request(.invalidMethod) }
    // RFC 9113 §8.5 (CONNECT) and RFC 8441 (extended CONNECT, `:protocol`): tunnels are not implemented.
    if ByteCompare.equalsExactly(method, "CONNECT") { throw .request(.connectNotSupported) }
    if protocolIndex >= 0 { throw .request(.protocolWithoutConnect) }

    guard schemeIndex >= 0 else { throw .request(.missingScheme) }
    if !Self.isScheme(fields.value(schemeIndex, in: raw)) { throw .request(.invalidScheme) }

    guard pathIndex >= 0 else { throw .request(.missingPath) }
    path = fields.value(pathIndex, in: raw)
    if path.count == 0 { throw .request(.emptyPath) }
    if !Self.isPath(path, options: ByteCompare.equalsExactly(method, "OPTIONS")) { throw .request(.invalidPath) }

    if authorityIndex >= 0 {
      let value = fields.value(authorityIndex, in: raw)
      // RFC 9113 §8.3.1: no userinfo; RFC 9110 §4.2.1: no empty host. HostValue refuses both (no `@`).
      if value.count == 0 || !HostValue.isValid(value) { throw .request(.invalidAuthority) }
      authority = value
    } else {
      authority = nil
    }
  }

  /// Records that the pseudo-header field at `index` was seen, refusing a second one.
  @inline(__always)
  private static func claim(_ slot: inout Int, _ index: Int) throws(H2TranslationError) {
    if slot >= 0 { throw .request(.duplicatePseudoHeader) }
    slot = index
  }

  /// `token` (RFC 9110 §5.6.2), what an HTTP/1.1 request-line needs as method.
  static func isToken(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count > 0 else { return false }
    for b in bytes where !ASCII.isTokenChar(b) { return false }
    return true
  }

  /// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` (RFC 3986 §3.1). Not limited to http and https:
  /// RFC 9113 §8.3.1 allows other schemes, and the HTTP/1.1 head does not carry it.
  static func isScheme(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count > 0, ASCII.lower(bytes[0]) &- 0x61 < 26 else { return false }
    for b in bytes {
      let isAlpha = ASCII.lower(b) &- 0x61 < 26
      let isDigit = b &- ASCII.zero < 10
      if !(isAlpha || isDigit || b == 0x2B || b == 0x2D || b == 0x2E) { return false }
    }
    return true
  }

  /// Origin-form (starts with `/`), or `*` for OPTIONS (RFC 9113 §8.3.1), of visible ASCII only
  /// (0x21-0x7E, as RFC 9112 §3.2 requires of a request-target). An absolute URI is refused: it would
  /// reach HTTP/1.1 as absolute-form, whose authority overrides Host (RFC 9112 §3.2.2) and so would let the
  /// path pick another authority than `:authority`.
  static func isPath(_ bytes: UnsafeRawBufferPointer, options: Bool) -> Bool {
    if bytes.count == 1 && bytes[0] == ASCII.asterisk { return options }
    guard bytes.count > 0, bytes[0] == ASCII.slash else { return false }
    for b in bytes where b &- 0x21 >= 0x5E { return false }
    return true
  }
}
