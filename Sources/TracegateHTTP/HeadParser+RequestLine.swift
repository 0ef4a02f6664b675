// The request-line: method SP request-target SP HTTP-version CRLF (RFC 9112 §3).

extension HeadParser {
  /// Scans leading empty lines and the request-line into `head`.
  /// - Returns: the offset just past the request-line's CRLF, or -1 when more bytes are needed.
  static func scanRequestLine(
    _ p: UnsafeRawPointer, limit: Int, limits: HeadLimits, into head: inout RequestHead
  ) throws(HTTPParseError) -> Int {
    var i = 0
    // RFC 9112 §2.2: ignore a few empty lines before the request-line (but never a bare LF).
    var emptyLines = 0
    while true {
      guard i < limit else { return -1 }
      let b = ASCII.byte(p, i)
      if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
      if b != ASCII.cr { break }
      guard i + 1 < limit else { return -1 }
      let n = ASCII.byte(p, i + 1)
      if n == ASCII.lf {
        emptyLines += 1
        if emptyLines > maxLeadingEmptyLines { throw HTTPParseError(.malformedRequestLine) }
        i += 2
      } else {
        throw HTTPParseError(.malformedRequestLine)
      }
    }

    // method = token (RFC 9110 §9.1), ended by exactly one SP.
    let methodStart = i
    while true {
      guard i < limit else { return -1 }
      let b = ASCII.byte(p, i)
      if ASCII.isTokenChar(b) {
        i += 1
        continue
      }
      if b == ASCII.space { break }
      if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
      if b == ASCII.cr { throw HTTPParseError(.malformedRequestLine) }
      throw HTTPParseError(.invalidMethod)
    }
    if i == methodStart { throw HTTPParseError(.malformedRequestLine) }
    head.methodRange = ByteRange(start: methodStart, end: i)
    head.method = HTTPMethod.classify(p + methodStart, i - methodStart)
    i += 1

    // request-target: visible ASCII only (RFC 9112 §3.2, RFC 3986), at most maxURILength bytes. The scan
    // stops one byte past the limit so an over-long target is reported before it is complete.
    let targetStart = i
    let targetStop = min(limit, targetStart + limits.maxURILength + 1)
    while true {
      while i &+ 8 <= targetStop {
        let special = ASCII.visibleSpecialMask(ASCII.word(p, i))
        if special != 0 {
          i &+= special.trailingZeroBitCount >> 3
          break
        }
        i &+= 8
      }
      guard i < targetStop else {
        if i - targetStart > limits.maxURILength { throw HTTPParseError(.uriTooLong) }
        return -1
      }
      let b = ASCII.byte(p, i)
      if b &- 0x21 < 0x5E {  // 0x21...0x7E
        i += 1
        continue
      }
      if b == ASCII.space { break }
      if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
      if b == ASCII.cr { throw HTTPParseError(.malformedRequestLine) }  // HTTP/0.9 simple request
      throw HTTPParseError(.invalidTarget)
    }
    if i == targetStart { throw HTTPParseError(.malformedRequestLine) }  // two SPs
    head.target = ByteRange(start: targetStart, end: i)
    try validateTargetForm(p, head.target, method: head.method)
    i += 1

    // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3), then CRLF.
    guard let version = try scanVersion(p, at: i, limit: limit, malformed: .malformedRequestLine) else {
      return -1
    }
    head.version = version
    i += 8
    guard i < limit else { return -1 }
    let b = ASCII.byte(p, i)
    if b == ASCII.lf { throw HTTPParseError(.bareLineFeed) }
    if b != ASCII.cr { throw HTTPParseError(.malformedRequestLine) }
    guard i + 1 < limit else { return -1 }
    if ASCII.byte(p, i + 1) != ASCII.lf { throw HTTPParseError(.malformedRequestLine) }
    return i + 2
  }

  /// Checks the 8 bytes of `HTTP/x.y` at `i` as far as they are available.
  /// - Returns: the version, or nil when fewer than 8 bytes are available and those agree with the grammar.
  /// - Throws: `malformed` when the bytes are not an HTTP-version, ``HTTPParseError/Kind/unsupportedVersion``
  ///   for a well-formed version other than 1.0 and 1.1 (answered with 505).
  static func scanVersion(
    _ p: UnsafeRawPointer, at i: Int, limit: Int, malformed: HTTPParseError.Kind
  ) throws(HTTPParseError) -> HTTPVersion? {
    let prefix: StaticString = "HTTP/"
    let ok: Bool = prefix.withUTF8Buffer { lit in
      var k = 0
      while k < 5 && i + k < limit {
        if ASCII.byte(p, i + k) != lit[k] { return false }
        k += 1
      }
      return true
    }
    if !ok { throw HTTPParseError(malformed) }
    if i + 5 < limit && ASCII.byte(p, i + 5) &- ASCII.zero >= 10 { throw HTTPParseError(malformed) }
    if i + 6 < limit && ASCII.byte(p, i + 6) != 0x2E { throw HTTPParseError(malformed) }
    guard i + 7 < limit else { return nil }
    let major = ASCII.byte(p, i + 5) &- ASCII.zero
    let minor = ASCII.byte(p, i + 7) &- ASCII.zero
    if minor >= 10 { throw HTTPParseError(malformed) }
    guard major == 1, minor <= 1 else { throw HTTPParseError(.unsupportedVersion) }
    return minor == 1 ? .http1_1 : .http1_0
  }

  /// Checks the request-target against the method (RFC 9112 §3.2): origin-form (`/path?query`) or
  /// absolute-form (`http://` / `https://` with a non-empty authority) for most methods; authority-form
  /// (`host:port`) only, and always, for CONNECT; asterisk-form (`*`) only for OPTIONS.
  static func validateTargetForm(
    _ p: UnsafeRawPointer, _ target: ByteRange, method: HTTPMethod
  ) throws(HTTPParseError) {
    let bytes = UnsafeRawBufferPointer(start: p + target.start, count: target.count)
    if method == .connect {
      if !isAuthorityForm(bytes) { throw HTTPParseError(.invalidTarget) }
      return
    }
    let first = bytes[0]
    if first == ASCII.slash { return }
    if first == ASCII.asterisk {
      if bytes.count == 1 && method == .options { return }
      throw HTTPParseError(.invalidTarget)
    }
    var schemeLength = 0
    if ByteCompare.hasPrefixCaseInsensitive(bytes, "http://") {
      schemeLength = 7
    } else if ByteCompare.hasPrefixCaseInsensitive(bytes, "https://") {
      schemeLength = 8
    } else {
      throw HTTPParseError(.invalidTarget)
    }
    // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid and must be rejected.
    guard bytes.count > schemeLength else { throw HTTPParseError(.invalidTarget) }
    let next = bytes[schemeLength]
    if next == ASCII.slash || next == 0x3F || next == 0x23 || next == ASCII.colon {
      throw HTTPParseError(.invalidTarget)
    }
  }

  /// `uri-host ":" port` (RFC 9112 §3.2.3): a non-empty host without `/ ? # @`, then 1-5 port digits.
  static func isAuthorityForm(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var colon = -1
    var i = bytes.count - 1
    while i >= 0 {
      if bytes[i] == ASCII.colon {
        colon = i
        break
      }
      i -= 1
    }
    guard colon > 0 else { return false }
    let portLength = bytes.count - colon - 1
    guard portLength >= 1 && portLength <= 5 else { return false }
    var k = colon + 1
    while k < bytes.count {
      if bytes[k] &- ASCII.zero >= 10 { return false }
      k += 1
    }
    k = 0
    while k < colon {
      let b = bytes[k]
      if b == ASCII.slash || b == 0x3F || b == 0x23 || b == 0x40 { return false }
      k += 1
    }
    return true
  }
}
