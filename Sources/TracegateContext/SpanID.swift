// SpanID.swift — the 8-byte W3C span (parent) id.

/// A W3C Trace Context span id (`parent-id` in `traceparent`), 8 bytes big-endian.
///
/// The all-zero id is invalid (Trace Context, “parent-id”).
public struct SpanID: Hashable, Sendable {
    /// The 8 bytes as a big-endian integer.
    public var rawValue: UInt64

    /// Number of lowercase hex characters of the text form.
    public static let hexLength = 16
    /// The all-zero (invalid) id.
    public static let invalid = SpanID(0)

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `false` for the all-zero id.
    public var isValid: Bool { rawValue != 0 }

    /// Parses exactly 16 lowercase hex characters. Validity (non-zero) is not checked here.
    public init?(lowercaseHex bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.hexLength, let value = Hex.parse(bytes, at: 0, count: 16) else { return nil }
        self.init(value)
    }

    /// Writes the 16 lowercase hex characters to `pointer`; returns 16.
    @discardableResult
    public func writeHex(to pointer: UnsafeMutableRawPointer) -> Int {
        Hex.write(rawValue, count: 16, to: pointer)
        return Self.hexLength
    }
}

extension SpanID: CustomStringConvertible {
    /// The 16-character lowercase hex form (diagnostics and tests; allocates).
    public var description: String {
        String(unsafeUninitializedCapacity: Self.hexLength) { buffer in
            writeHex(to: UnsafeMutableRawPointer(buffer.baseAddress!))
        }
    }
}
