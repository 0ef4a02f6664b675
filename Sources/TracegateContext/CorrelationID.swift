// CorrelationID.swift — validation and generation of correlation ids.

/// Correlation ids (`X-Correlation-ID` and friends): kept when well-formed, generated otherwise.
public enum CorrelationID {
    /// Length of an id generated from a trace id (32 lowercase hex).
    public static let traceIDLength = 32
    /// Length of a generated UUID (`8-4-4-4-12`).
    public static let uuidLength = 36

    /// `true` when `bytes` is 1...`maxLength` characters of `[A-Za-z0-9._~:@/+=-]`.
    ///
    /// Why this set: it is safe to copy into access logs (no spaces, quotes, control characters
    /// or `\`, so log lines cannot be split or forged), into header values and into JSON without
    /// escaping, and it still covers every common id format: UUIDs, ULIDs, W3C trace ids,
    /// base64 and base64url (`+/=` and `-_`), `host:pid` and `service@instance` forms.
    public static func isWellFormed(_ bytes: UnsafeRawBufferPointer, maxLength: Int) -> Bool {
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return ByteClass.all(bytes, ByteClass.correlation)
    }
}

/// How the edge makes a correlation id when the request has none (or a malformed one).
public enum CorrelationMode: Sendable, Hashable {
    /// The trace id's 32 lowercase hex digits: logs and traces join on one value.
    case traceID
    /// A random UUID version 4 (RFC 9562 §5.4), for systems that expect UUIDs.
    case uuid
}

/// A random version-4 UUID (RFC 9562 §5.4), big-endian in two halves.
public struct UUIDv4: Hashable, Sendable {
    public var hi: UInt64
    public var lo: UInt64

    /// Draws 122 random bits and sets the version (4) and variant (`10`) bits.
    public init(using random: inout some RandomNumberGenerator) {
        hi = random.next() & ~0xF000 | 0x4000
        lo = random.next() & ~(0xC000 << 48) | (0x8000 << 48)
    }

    /// Writes the 36-character lowercase `8-4-4-4-12` form; returns 36.
    @discardableResult
    public func write(to pointer: UnsafeMutableRawPointer) -> Int {
        Hex.write(hi >> 32, count: 8, to: pointer)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 8, as: UInt8.self)
        Hex.write(hi >> 16, count: 4, to: pointer + 9)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 13, as: UInt8.self)
        Hex.write(hi, count: 4, to: pointer + 14)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 18, as: UInt8.self)
        Hex.write(lo >> 48, count: 4, to: pointer + 19)
        pointer.storeBytes(of: ASCII.dash, toByteOffset: 23, as: UInt8.self)
        Hex.write(lo, count: 12, to: pointer + 24)
        return CorrelationID.uuidLength
    }
}

/// A correlation id the edge generated; it carries its own data so it can be written later.
public enum GeneratedCorrelationID: Hashable, Sendable {
    /// The trace id's hex form.
    case traceID(TraceID)
    /// A random UUIDv4.
    case uuid(UUIDv4)

    /// Generates an id for `mode`; only `.uuid` draws from `random`.
    public static func generate(
        mode: CorrelationMode,
        traceID: TraceID,
        random: inout some RandomNumberGenerator
    ) -> GeneratedCorrelationID {
        switch mode {
        case .traceID: return .traceID(traceID)
        case .uuid: return .uuid(UUIDv4(using: &random))
        }
    }

    /// Number of bytes ``write(to:)`` writes.
    public var length: Int {
        switch self {
        case .traceID: return CorrelationID.traceIDLength
        case .uuid: return CorrelationID.uuidLength
        }
    }

    /// Writes the id to `pointer` (room for ``length`` bytes); returns ``length``.
    @discardableResult
    public func write(to pointer: UnsafeMutableRawPointer) -> Int {
        switch self {
        case .traceID(let id): return id.writeHex(to: pointer)
        case .uuid(let uuid): return uuid.write(to: pointer)
        }
    }

    /// Appends the id to a sink.
    public func append(to sink: inout some ByteSink) {
        withUnsafeTemporaryAllocation(byteCount: CorrelationID.uuidLength, alignment: 1) { buffer in
            let n = write(to: buffer.baseAddress!)
            sink.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}

extension GeneratedCorrelationID: CustomStringConvertible {
    /// The text form (tests and diagnostics; allocates).
    public var description: String {
        String(unsafeUninitializedCapacity: length) { write(to: UnsafeMutableRawPointer($0.baseAddress!)) }
    }
}
