// ASCII constants and the RFC 9110 character classes the parsers test per byte.

/// Byte constants and character classes shared by the head parser and the body tracker.
///
/// Classes are bit masks in integer constants rather than lookup tables so that a test costs a
/// shift and an `and`, and no global (with its lazy-initialisation check) is touched per byte.
enum ASCII {
  static let cr: UInt8 = 0x0D
  static let lf: UInt8 = 0x0A
  static let space: UInt8 = 0x20
  static let htab: UInt8 = 0x09
  static let colon: UInt8 = 0x3A
  static let comma: UInt8 = 0x2C
  static let semicolon: UInt8 = 0x3B
  static let equals: UInt8 = 0x3D
  static let quote: UInt8 = 0x22
  static let backslash: UInt8 = 0x5C
  static let slash: UInt8 = 0x2F
  static let asterisk: UInt8 = 0x2A
  static let zero: UInt8 = 0x30
  static let del: UInt8 = 0x7F

  /// `tchar` of RFC 9110 §5.6.2 as a 256-entry table of ASCII `0`/`1`, indexed by byte. A `StaticString`
  /// literal is constant data in the binary: one load per byte, no lazily initialised global, no bounds check.
  static let tokenTable: StaticString = """
    0000000000000000000000000000000001011111001101101111111111000000\
    0111111111111111111111111110001111111111111111111111111111101010\
    0000000000000000000000000000000000000000000000000000000000000000\
    0000000000000000000000000000000000000000000000000000000000000000
    """

  /// True for `tchar` (RFC 9110 §5.6.2), the characters of methods and field names.
  @inline(__always)
  static func isTokenChar(_ b: UInt8) -> Bool {
    tokenTable.utf8Start[Int(b)] == 0x31
  }

  /// True for SP and HTAB, the `OWS`/`BWS` characters (RFC 9110 §5.6.3).
  @inline(__always)
  static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == htab }

  /// True for a byte allowed inside a field value (RFC 9110 §5.5): VCHAR, obs-text, SP, HTAB.
  @inline(__always)
  static func isFieldValueChar(_ b: UInt8) -> Bool { (b >= space && b != del) || b == htab }

  /// True for a hexadecimal digit; `value` receives its numeric value.
  @inline(__always)
  static func hexValue(_ b: UInt8) -> UInt8? {
    if b &- 0x30 < 10 { return b &- 0x30 }
    let l = b | 0x20
    if l &- 0x61 < 6 { return l &- 0x61 &+ 10 }
    return nil
  }

  /// ASCII lower-casing of one byte; other bytes are returned unchanged.
  @inline(__always)
  static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

  /// Loads one byte from raw memory; `load(as: UInt8.self)` is valid whatever the memory is bound to.
  @inline(__always)
  static func byte(_ p: UnsafeRawPointer, _ i: Int) -> UInt8 { p.load(fromByteOffset: i, as: UInt8.self) }
}
