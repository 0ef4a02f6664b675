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

    @inline(__always)
    static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

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
        for index in 0..<lhs.count where lhs[index] != rhs[index] { return false }
        return true
    }

    /// ASCII case-insensitive equality (both sides folded).
    static func equalIgnoringCase(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lower(lhs[index]) != lower(rhs[index]) { return false }
        return true
    }

    /// ASCII case-insensitive prefix test (both sides folded).
    static func hasPrefixIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ prefix: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in 0..<prefix.count where lower(bytes[index]) != lower(prefix[index]) { return false }
        return true
    }

    /// ASCII case-insensitive substring test (both sides folded). Patterns are short and
    /// configured once, so the naive scan is the fastest option at these sizes.
    static func containsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        guard bytes.count >= n else { return false }
        let first = lower(needle[0])
        var start = 0
        while start + n <= bytes.count {
            if lower(bytes[start]) == first {
                var offset = 1
                while offset < n, lower(bytes[start + offset]) == lower(needle[offset]) { offset += 1 }
                if offset == n { return true }
            }
            start += 1
        }
        return false
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
