// Syntax check of the Host field value (RFC 9110 §7.2, RFC 3986 §3.2.2).

/// Validates `Host = uri-host [ ":" port ]` so routing never sees a value that could mean something else
/// to the next hop (a `/`, `@`, whitespace or quote in Host is a known cache-poisoning and routing-confusion
/// vector; nginx rejects such requests with 400 as well).
enum HostValue {
  /// True for an empty value (RFC 9112 §3.2 allows it when the target has no authority), a reg-name or
  /// IP-literal, optionally followed by `:` and up to five digits.
  static func isValid(_ value: UnsafeRawBufferPointer) -> Bool {
    let n = value.count
    if n == 0 { return true }
    var i = 0
    if value[0] == 0x5B {  // "[" IP-literal "]" (RFC 3986 §3.2.2)
      i = 1
      while i < n && value[i] != 0x5D {
        // IPv6address, IPvFuture and zone ids (RFC 6874) use only these.
        if !isRegNameChar(value[i]) && value[i] != ASCII.colon { return false }
        i += 1
      }
      if i == n || i == 1 { return false }
      i += 1
    } else {
      while i < n && value[i] != ASCII.colon {
        if !isRegNameChar(value[i]) { return false }
        i += 1
      }
      if i == 0 { return false }
    }
    if i == n { return true }
    guard value[i] == ASCII.colon else { return false }
    let digits = n - i - 1
    guard digits <= 5 else { return false }
    i += 1
    while i < n {
      if value[i] &- ASCII.zero >= 10 { return false }
      i += 1
    }
    return true
  }

  /// `unreserved / pct-encoded / sub-delims` (RFC 3986 §3.2.2): letters, digits, `-._~%!$&'()*+,;=`.
  @inline(__always)
  static func isRegNameChar(_ b: UInt8) -> Bool {
    switch b {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    case 0x2D, 0x2E, 0x5F, 0x7E, 0x25, 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D: return true
    default: return false
    }
  }
}
