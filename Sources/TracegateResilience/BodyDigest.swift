// BodyDigest.swift — a streaming FNV-1a 64 hash of a response body, for `compare: body`.

/// Hashes a response body chunk by chunk as it streams past, so the primary's and the mirror's
/// bodies can be compared without keeping either.
///
/// Why FNV-1a 64 (Fowler–Noll–Vo, draft-eastlake-fnv): it is incremental byte by byte (any
/// chunking gives the same hash), needs eight bytes of state, and has published test vectors.
/// It is not collision-resistant against an adversary, which does not matter here: both bodies
/// come from our own upstreams, the length is compared too, and a false "match" only hides one
/// diff from a debugging aid.
///
/// Feed payload bytes only — de-chunked, without framing — since the two responses may be
/// framed differently (`Content-Length` vs chunked). Bodies with different `Content-Encoding`
/// (e.g. gzip levels) will not match; that is a real difference between the two deployments.
///
/// Past `maxBody` bytes the body is not hashed further and the result is ``Summary/tooLarge``:
/// hashing costs a multiply per byte on the worker, and comparing huge bodies is not what a
/// shadow check is for.
public struct BodyDigest: Hashable, Sendable {
    /// Bytes hashed at most; a longer body is ``Summary/tooLarge``.
    public let maxBody: Int
    /// Bytes seen so far (counted past `maxBody` too).
    public private(set) var length = 0
    private var hash = Self.offsetBasis

    /// FNV-1a 64 offset basis.
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    /// FNV-1a 64 prime (2^40 + 2^8 + 0xb3).
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Starts a digest of a body of at most `maxBody` bytes (negative counts as 0); 64 KiB by
    /// default, the replay-buffer size.
    public init(maxBody: Int = RetryPolicy.defaultReplayBufferLimit) {
        self.maxBody = Swift.max(0, maxBody)
    }

    /// `true` once more than `maxBody` bytes were fed.
    public var isTooLarge: Bool { length > maxBody }

    /// Feeds the next chunk of the body.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length = length.addingReportingOverflow(bytes.count).overflow ? .max : length + bytes.count
        guard !isTooLarge else { return }
        var h = hash
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* Self.prime
        }
        hash = h
    }

    /// The digest so far.
    public var summary: Summary {
        isTooLarge ? .tooLarge : .complete(hash: hash, length: length)
    }

    /// A finished body's digest.
    public enum Summary: Hashable, Sendable {
        /// The body's FNV-1a 64 hash and length.
        case complete(hash: UInt64, length: Int)
        /// The body was longer than `maxBody`; it was not hashed.
        case tooLarge
    }
}
