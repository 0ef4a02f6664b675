// FastRandom.swift — per-worker xoshiro256** generator for ids.

/// xoshiro256** (Blackman & Vigna), a fast non-cryptographic generator with 256 bits of state.
///
/// Why not `SystemRandomNumberGenerator`: that is a `getrandom` call per draw. Each worker owns
/// one `FastRandom` seeded from 32 bytes of `getrandom`, so ids are unpredictable to clients in
/// practice and cost a few nanoseconds. Ids are not secrets: anything that must not be guessed
/// (debug tokens) is HMAC-signed instead.
public struct FastRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds from four words. An all-zero seed (a fixed point of xoshiro) is replaced by a
    /// SplitMix64 expansion of zero.
    public init(seed: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = seed
        if s0 | s1 | s2 | s3 == 0 {
            var sm: UInt64 = 0
            s0 = Self.splitMix(&sm)
            s1 = Self.splitMix(&sm)
            s2 = Self.splitMix(&sm)
            s3 = Self.splitMix(&sm)
        }
    }

    /// Seeds from exactly 32 bytes (little-endian words), e.g. from `getrandom`.
    public init?(seedBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        self.init(seed: (
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        ))
    }

    /// Seeds deterministically from one word via SplitMix64 (tests, reproducible tools).
    public init(seed: UInt64) {
        var sm = seed
        self.init(seed: (Self.splitMix(&sm), Self.splitMix(&sm), Self.splitMix(&sm), Self.splitMix(&sm)))
    }

    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// A random, valid (non-zero) trace id; all 128 bits are random, so the Level 2 random
    /// flag may be set for it.
    public mutating func nextTraceID() -> TraceID {
        while true {
            let id = TraceID(hi: next(), lo: next())
            if id.isValid { return id }
        }
    }

    /// A random, valid (non-zero) span id.
    public mutating func nextSpanID() -> SpanID {
        while true {
            let value = next()
            if value != 0 { return SpanID(value) }
        }
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        self << count | self >> (64 &- count)
    }
}
