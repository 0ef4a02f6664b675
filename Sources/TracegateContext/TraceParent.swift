// TraceParent.swift — strict parsing and writing of the W3C `traceparent` header value.

/// A parsed `traceparent` value (W3C Trace Context, “Traceparent Header”).
///
/// Parsing is strict because this header decides whether the edge continues a caller's trace:
/// anything that does not match the grammar exactly is treated as absent and the trace restarts.
public struct TraceParent: Hashable, Sendable {
    /// The version byte as received (`00` today; higher versions are parsed by their `00` prefix).
    public var version: UInt8
    /// The trace id; always valid (non-zero) in a parsed value.
    public var traceID: TraceID
    /// The caller's span id; always valid (non-zero) in a parsed value.
    public var parentID: SpanID
    /// The flags as received, reserved bits included (mask with ``TraceFlags/known`` before use).
    public var flags: TraceFlags

    /// Length of a version-00 value: `2 + 1 + 32 + 1 + 16 + 1 + 2`.
    public static let encodedLength = 55

    public init(version: UInt8 = 0, traceID: TraceID, parentID: SpanID, flags: TraceFlags) {
        self.version = version
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    /// Parses a `traceparent` field value strictly per W3C Trace Context, “traceparent Header Field Values” and “Versioning of traceparent”.
    ///
    /// - `version` is 2 lowercase hex digits; `ff` is invalid.
    /// - Version `00` must be exactly 55 characters.
    /// - A higher version is parsed by its version-00 prefix and must be either exactly 55
    ///   characters or have a `-` at index 55 (the fields after it are ignored).
    /// - `trace-id` and `parent-id` are lowercase hex and must not be all zero; `trace-flags` is 2
    ///   lowercase hex digits.
    ///
    /// Surrounding optional whitespace is **not** accepted here: the caller passes the field
    /// value already trimmed (an RFC 9112 head parser does that; ``FieldValue/trimmingOWS(_:)``
    /// does it otherwise). A header that occurs more than once is the caller's to reject.
    ///
    /// - Returns: the parsed value, or `nil` when the value must be ignored (restart the trace).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> TraceParent? {
        let n = bytes.count
        guard n >= encodedLength, let version = Hex.parse(bytes, at: 0, count: 2) else { return nil }
        guard version != 0xFF else { return nil }
        if version == 0 {
            guard n == encodedLength else { return nil }
        } else if n > encodedLength, bytes[encodedLength] != ASCII.dash {
            return nil
        }
        guard bytes[2] == ASCII.dash, bytes[35] == ASCII.dash, bytes[52] == ASCII.dash,
            let traceID = TraceID(lowercaseHex: bytes, at: 3),
            let parent = Hex.parse(bytes, at: 36, count: 16),
            let flags = Hex.parse(bytes, at: 53, count: 2)
        else { return nil }
        guard traceID.isValid, parent != 0 else { return nil }
        return TraceParent(
            version: UInt8(truncatingIfNeeded: version),
            traceID: traceID,
            parentID: SpanID(parent),
            flags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags))
        )
    }

    /// Writes this context as a version-`00` value (55 bytes) to `pointer`; returns 55.
    ///
    /// Always version `00`: a vendor MUST downgrade a higher version to the highest it knows
    /// (Trace Context, “Mutating the traceparent Field”: downgrade the version). Flags are written as stored.
    @discardableResult
    public func write(into pointer: UnsafeMutableRawPointer) -> Int {
        Self.write(traceID: traceID, spanID: parentID, flags: flags, to: pointer)
    }

    /// Writes `00-<trace-id>-<span-id>-<flags>` (55 bytes) to `pointer`; returns 55.
    @discardableResult
    public static func write(
        traceID: TraceID,
        spanID: SpanID,
        flags: TraceFlags,
        to pointer: UnsafeMutableRawPointer
    ) -> Int {
        pointer.storeBytes(of: 0x30, toByteOffset: 0, as: UInt8.self)
        pointer.storeBytes(of: 0x30, toByteOffset: 1, as: UInt8.self)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 2, as: UInt8.self)
        traceID.writeHex(to: pointer + 3)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 35, as: UInt8.self)
        spanID.writeHex(to: pointer + 36)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 52, as: UInt8.self)
        Hex.write(UInt64(flags.rawValue), count: 2, to: pointer + 53)
        return encodedLength
    }
}

extension TraceParent: CustomStringConvertible {
    /// The version-00 text form (tests and diagnostics; allocates).
    public var description: String {
        String(unsafeUninitializedCapacity: Self.encodedLength) { buffer in
            write(into: UnsafeMutableRawPointer(buffer.baseAddress!))
        }
    }
}
