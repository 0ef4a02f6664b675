// Hex.swift — lowercase hexadecimal encoding and decoding over raw bytes.

/// Lowercase hex as W3C Trace Context requires (`HEXDIGLC`, Trace Context “traceparent Header Field Values”).
///
/// Ids are parsed and written eight characters at a time with SWAR (SIMD within a register)
/// arithmetic on one 64-bit word: a `traceparent` is 50 hex digits, parsed on every request,
/// and written once per upstream attempt, so this is the hottest byte work of the module.
@usableFromInline
enum Hex {
    private static let high: UInt64 = 0x8080_8080_8080_8080
    private static let lowNibbles: UInt64 = 0x0F0F_0F0F_0F0F_0F0F

    /// Value of a lowercase hex digit, or `0xFF` for anything else (uppercase is rejected on
    /// purpose: Trace Context forbids it and vendors MUST ignore such headers).
    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8 {
        if byte &- 0x30 < 10 { return byte &- 0x30 }
        if byte &- 0x61 < 6 { return byte &- 0x61 &+ 10 }
        return 0xFF
    }

    /// The lowercase hex digit for a nibble.
    @inline(__always)
    static func digit(_ nibble: UInt64) -> UInt8 {
        let n = UInt8(truncatingIfNeeded: nibble & 0xF)
        return n < 10 ? 0x30 &+ n : 0x57 &+ n
    }

    /// Parses `count` (≤ 16) lowercase hex digits at `offset`; `nil` if any is not one.
    @inline(__always)
    static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> UInt64? {
        if count == 16 { return parse16(bytes.baseAddress! + offset) }
        var result: UInt64 = 0
        var bad: UInt8 = 0
        for index in offset..<(offset + count) {
            let v = value(bytes[index])
            bad |= v & 0xF0
            result = result &<< 4 | UInt64(v & 0x0F)
        }
        return bad == 0 ? result : nil
    }

    /// Parses 16 lowercase hex digits at `pointer` (the caller checked they are in bounds).
    @inline(__always)
    static func parse16(_ pointer: UnsafeRawPointer) -> UInt64? {
        guard let hi = parse8(pointer), let lo = parse8(pointer + 8) else { return nil }
        return UInt64(hi) << 32 | UInt64(lo)
    }

    /// Parses 8 lowercase hex digits with SWAR; `nil` if any byte is not one.
    ///
    /// For a byte `b < 0x80`, `b + (0x80 − lo)` has bit 7 set iff `b ≥ lo`, and
    /// `b + (0x7F − hi)` has it set iff `b > hi`; no addition carries into the next byte.
    @inline(__always)
    static func parse8(_ pointer: UnsafeRawPointer) -> UInt32? {
        let x = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        let isDigit = (x &+ 0x5050_5050_5050_5050) & ~(x &+ 0x4646_4646_4646_4646) & high  // '0'...'9'
        let isAlpha = (x &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(x &+ 0x1919_1919_1919_1919) & high  // 'a'...'f'
        guard x & high == 0, isDigit | isAlpha == high else { return nil }
        // One nibble per byte, first character in the lowest byte.
        let nibbles = (x & lowNibbles) &+ (isAlpha >> 7) &* 9
        // Pack pairs of nibbles into bytes, pairs of bytes into 16-bit lanes, then the lanes.
        let bytes = (nibbles << 4 | nibbles >> 8) & 0x00FF_00FF_00FF_00FF
        let lanes = (bytes << 8 | bytes >> 16) & 0x0000_FFFF_0000_FFFF
        return UInt32(truncatingIfNeeded: lanes << 16 | lanes >> 32)
    }

    /// Writes the low `count` nibbles of `value`, most significant first.
    @inline(__always)
    static func write(_ value: UInt64, count: Int, to pointer: UnsafeMutableRawPointer) {
        if count == 16 {
            write8(UInt32(truncatingIfNeeded: value >> 32), to: pointer)
            write8(UInt32(truncatingIfNeeded: value), to: pointer + 8)
            return
        }
        var shift = UInt64(count &* 4)
        for index in 0..<count {
            shift &-= 4
            pointer.storeBytes(of: digit(value &>> shift), toByteOffset: index, as: UInt8.self)
        }
    }

    /// Writes 8 lowercase hex digits of `value` with SWAR (the inverse of ``parse8(_:)``).
    @inline(__always)
    static func write8(_ value: UInt32, to pointer: UnsafeMutableRawPointer) {
        let v = UInt64(value)
        let lanes = v >> 16 | (v & 0xFFFF) << 32
        let bytes = (lanes >> 8 & 0x0000_00FF_0000_00FF) | (lanes & 0x0000_00FF_0000_00FF) << 16
        let nibbles = (bytes >> 4 & 0x000F_000F_000F_000F) | (bytes & 0x000F_000F_000F_000F) << 8
        // n < 10 → '0' + n; n ≥ 10 → 'a' + n − 10 = '0' + n + 39.
        let letters = ((nibbles &+ 0x7676_7676_7676_7676) & high) >> 7
        let ascii = nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 39
        pointer.storeBytes(of: ascii.littleEndian, as: UInt64.self)
    }
}
