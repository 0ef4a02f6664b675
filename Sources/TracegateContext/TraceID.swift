// TraceID.swift — the 16-byte W3C trace id.

/// A W3C Trace Context trace id: 16 bytes, big-endian as two 64-bit halves.
///
/// `hi` holds bytes 0–7 (the left 16 hex digits), `lo` bytes 8–15. The all-zero id is invalid
/// (Trace Context, “trace-id”). The right-most 7 bytes (`lo & 0x00FF_FFFF_FFFF_FFFF`) are the
/// randomness that Level 2 and OpenTelemetry consistent sampling rely on.
public struct TraceID: Hashable, Sendable {
    /// Bytes 0–7.
    public var hi: UInt64
    /// Bytes 8–15.
    public var lo: UInt64

    /// Number of lowercase hex characters of the text form.
    public static let hexLength = 32
    /// The all-zero (invalid) id.
    public static let invalid = TraceID(hi: 0, lo: 0)

    public init(hi: UInt64, lo: UInt64) {
        self.hi = hi
        self.lo = lo
    }

    /// `false` for the all-zero id, which vendors MUST treat as absent.
    public var isValid: Bool { hi | lo != 0 }

    /// The right-most 7 bytes as an integer in `0..<2^56` (Trace Context Level 2 random-trace-id
    /// flag; OpenTelemetry's randomness value `R`).
    public var randomness: UInt64 { lo & 0x00FF_FFFF_FFFF_FFFF }

    /// Parses exactly 32 lowercase hex characters. Validity (non-zero) is not checked here.
    public init?(lowercaseHex bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.hexLength else { return nil }
        self.init(lowercaseHex: bytes, at: 0)
    }

    init?(lowercaseHex bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard let hi = Hex.parse(bytes, at: offset, count: 16),
            let lo = Hex.parse(bytes, at: offset + 16, count: 16)
        else { return nil }
        self.init(hi: hi, lo: lo)
    }

    /// Writes the 32 lowercase hex characters to `pointer`; returns 32.
    @discardableResult
    public func writeHex(to pointer: UnsafeMutableRawPointer) -> Int {
        Hex.write(hi, count: 16, to: pointer)
        Hex.write(lo, count: 16, to: pointer + 16)
        return Self.hexLength
    }

    /// Appends the 32 lowercase hex characters to a sink.
    public func appendHex(to sink: inout some ByteSink) {
        withUnsafeTemporaryAllocation(byteCount: Self.hexLength, alignment: 1) { buffer in
            let n = writeHex(to: buffer.baseAddress!)
            sink.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}

extension TraceID: CustomStringConvertible {
    /// The 32-character lowercase hex form (diagnostics and tests; allocates).
    public var description: String {
        String(unsafeUninitializedCapacity: Self.hexLength) { buffer in
            writeHex(to: UnsafeMutableRawPointer(buffer.baseAddress!))
        }
    }
}
