// Eight bytes at a time: finding the first byte that needs a closer look (SWAR).

extension ASCII {
  static let ones: UInt64 = 0x0101_0101_0101_0101
  static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Bit mask whose lowest set bit marks the first byte of `w` (little-endian load) that is below 0x21
  /// (controls, SP, HTAB, CR, LF) or is DEL: the bytes a field value or reason-phrase scan must inspect.
  /// Bytes 0x21...0x7E and obs-text (0x80...0xFF) are clear.
  ///
  /// Classic "has less than" / "has zero byte" tricks: they can flag bytes *after* a true hit (the borrow
  /// propagates upward), never before it and never miss one, so the lowest set bit is exact.
  @inline(__always)
  static func fieldSpecialMask(_ w: UInt64) -> UInt64 {
    let below = (w &- ones &* 0x21) & ~w & highs
    let y = w ^ (ones &* 0x7F)
    let del = (y &- ones) & ~y & highs
    return below | del
  }

  /// As ``fieldSpecialMask(_:)`` but also flags bytes ≥ 0x80: the request-target allows only 0x21...0x7E.
  @inline(__always)
  static func visibleSpecialMask(_ w: UInt64) -> UInt64 {
    fieldSpecialMask(w) | (w & highs)
  }

  /// Loads eight bytes at `p + i` (no alignment needed) in little-endian order, so byte k of the result is
  /// `p[i + k]`.
  @inline(__always)
  static func word(_ p: UnsafeRawPointer, _ i: Int) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
  }
}
