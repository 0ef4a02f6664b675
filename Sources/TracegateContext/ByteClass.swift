// ByteClass.swift — one 256-entry table of the character classes the parsers need.

/// Character classes as bit flags, looked up in one table so every per-byte check is a load and
/// a mask instead of a chain of comparisons.
///
/// The table is a `StaticString` (constant data, no lazy initialisation); every entry is below
/// 0x80, so each is one UTF-8 byte and the byte value indexes it directly. Bytes 0x80–0xFF are
/// in no class. `ByteClassTests` checks every entry against the definitions below.
@usableFromInline
enum ByteClass {
    /// Correlation id: `[A-Za-z0-9._~:@/+=-]`.
    static let correlation: UInt8 = 0x01
    /// Session id: `[A-Za-z0-9._~+/=-]`.
    static let session: UInt8 = 0x02
    /// Tracestate `nblk-chr`: 0x21–0x7E except `,` and `=` (Trace Context, tracestate “Value”).
    static let traceStateValue: UInt8 = 0x04
    /// RFC 9110 §5.6.2 `tchar`.
    static let token: UInt8 = 0x08
    /// W3C Baggage `baggage-octet`: 0x21, 0x23–0x2B, 0x2D–0x3A, 0x3C–0x5B, 0x5D–0x7E.
    static let baggageOctet: UInt8 = 0x10
    /// Tracestate key character without `@`: `[a-z0-9_*/-]`.
    static let traceStateKey: UInt8 = 0x20
    /// Lowercase hex digit `[0-9a-f]`.
    static let lowerHex: UInt8 = 0x40

    @inline(__always)
    static func of(_ byte: UInt8) -> UInt8 {
        table.utf8Start[Int(byte)]
    }

    @inline(__always)
    static func `is`(_ byte: UInt8, _ flag: UInt8) -> Bool {
        of(byte) & flag != 0
    }

    /// `true` when every byte of `bytes` is in class `flag`.
    @inline(__always)
    static func all(_ bytes: UnsafeRawBufferPointer, _ flag: UInt8) -> Bool {
        let base = table.utf8Start
        var miss: UInt8 = 0
        for byte in bytes { miss |= ~base[Int(byte)] & flag }
        return miss == 0
    }

    private static var table: StaticString {
        """
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{1C}\u{04}\u{1C}\u{1C}\u{1C}\u{1C}\u{1C}\u{14}\u{14}\u{3C}\u{1F}\u{00}\u{3F}\u{1F}\u{37}\
            \u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{15}\u{04}\u{14}\u{13}\u{14}\u{14}\
            \u{15}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\
            \u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}\u{14}\u{04}\u{14}\u{1C}\u{3F}\
            \u{1C}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{7F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\
            \u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{3F}\u{14}\u{1C}\u{14}\u{1F}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\
            \u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}
            """
    }
}
