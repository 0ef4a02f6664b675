// ASCII.swift — byte-level helpers shared by the parsers (no allocation, no Strings).

/// Small byte predicates and transforms used by every parser in this module.
@usableFromInline
enum ASCII {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let dash: UInt8 = 0x2D
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let semicolon: UInt8 = 0x3B
    static let dot: UInt8 = 0x2E
    static let quote: UInt8 = 0x22
    static let percent: UInt8 = 0x25

    /// RFC 9110 §5.6.3 optional whitespace: SP or HTAB.
    @inline(__always)
    static func isOWS(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isLowerAlpha(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }

    /// ASCII lowercase of one byte; other bytes are returned unchanged.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// `bytes[range]` as a buffer view (no copy).
    @inline(__always)
    static func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Index range of `bytes` without leading and trailing SP/HTAB.
    static func trimmedRange(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isOWS(bytes[lower]) { lower += 1 }
        while upper > lower, isOWS(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Exact byte equality.
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 0 else { return true }
        return matches(lhs.baseAddress!, rhs.baseAddress!, count: lhs.count)
    }

    /// ASCII-lowercases eight bytes at once: 0x20 is added to every byte in `A`...`Z`.
    /// Masking bit 7 first keeps each per-byte addition from carrying into its neighbour.
    @inline(__always)
    static func lower8(_ x: UInt64) -> UInt64 {
        let low7 = x & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F  // bit 7 set iff byte ≥ 0x41
        let pastZ = low7 &+ 0x2525_2525_2525_2525  // bit 7 set iff byte ≥ 0x5B
        let upper = atLeastA & ~pastZ & ~x & 0x8080_8080_8080_8080
        return x | upper >> 2
    }

    /// `true` when the first `count` bytes at `bytes` equal the `count` lowercase bytes at
    /// `lowered`, ignoring ASCII case on the `bytes` side. Eight bytes per step.
    @inline(__always)
    static func matchesLowercase(_ bytes: UnsafeRawPointer, _ lowered: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            let a = lower8(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            guard a == lowered.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        while offset < count {
            guard lower(bytes.load(fromByteOffset: offset, as: UInt8.self)) == lowered.load(fromByteOffset: offset, as: UInt8.self) else {
                return false
            }
            offset += 1
        }
        return true
    }

    /// Exact equality of `count` bytes, eight bytes per step.
    @inline(__always)
    static func matches(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            guard lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else {
                return false
            }
            offset += 8
        }
        while offset < count {
            guard lhs.load(fromByteOffset: offset, as: UInt8.self) == rhs.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset += 1
        }
        return true
    }

}

/// Helpers for HTTP field values handed over by the head parser.
public enum FieldValue {
    /// The value without leading and trailing optional whitespace (RFC 9110 §5.5: OWS around a
    /// field value is not part of it). A conforming HTTP/1.1 parser already trims it; the edge
    /// decision trims again because it costs two byte checks.
    public static func trimmingOWS(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        ASCII.slice(bytes, ASCII.trimmedRange(bytes, 0..<bytes.count))
    }
}
