// MirrorSelector.swift — which traces are mirrored, decided from the trace id alone.

/// Decides from the trace id whether a request is copied to the route's shadow cluster.
///
/// **Same answer everywhere.** The decision is a pure function of the trace id, the configured
/// fraction and a fixed salt, so every Tracegate instance (and every worker) mirrors the same
/// traces: a trace is shadowed end to end or not at all, never at one hop and not the next.
///
/// **Why not the sampling rule as it is.** The edge's `RatioSampler` compares the trace id's
/// randomness `R` (its right-most 7 bytes; W3C Trace Context Level 2, OpenTelemetry's
/// consistent probability sampling) with a threshold. Comparing the same `R` with a mirror
/// threshold would tie the two decisions: mirroring 10% with `R < T` picks exactly the traces a
/// 90% sampler rejects, and with `R ≥ T` exactly a subset of the sampled ones, so changing the
/// sampling ratio would change which traffic reaches staging, and the mirrored traffic would
/// never be a fair sample of what is (or is not) traced. Instead the id is first mixed with a
/// per-purpose constant through the SplitMix64 finaliser (Stafford's "mix13", a bijection with
/// full avalanche), `mix(mix(lo ^ salt) ^ hi)`, and the top 56 bits of that are compared with
/// `fraction · 2^56`. For any fixed `hi` the map from `lo` is a bijection, so uniform random bits
/// in the id stay uniform after mixing, and knowing `R ≥ T` says nothing useful about the mixed
/// value. All 128 bits are mixed in, so ids that are random outside the right-most 7 bytes too
/// (as random generators make them) are used fully.
///
/// **The salt is part of the contract.** Changing ``defaultSalt`` changes which traces are
/// mirrored, so instances running different salts during a rolling deploy would disagree; keep
/// it fixed. A route that wants a second, independent mirror uses a different salt.
///
/// The per-request cost is two multiplies per mix, shifts and one compare; nothing allocates.
public struct MirrorSelector: Hashable, Sendable {
    /// The configured fraction of traces to mirror, in `0...1`.
    public let fraction: Double
    /// The mixed value must be below this, in `0...2^56`: 0 mirrors nothing, `2^56` everything.
    public let threshold: UInt64
    /// The per-purpose constant mixed into the trace id.
    public let salt: UInt64

    /// The salt every Tracegate instance uses for mirroring (ASCII `tg:mirr`, plus a version byte).
    public static let defaultSalt: UInt64 = 0x7467_3A6D_6972_7201

    private static let range: UInt64 = 1 << 56

    /// Creates a selector mirroring `fraction` of traces.
    ///
    /// - Throws: ``ResilienceConfigError`` naming `fraction` when it is not a number in `0...1`.
    public init(fraction: Double, salt: UInt64 = MirrorSelector.defaultSalt) throws(ResilienceConfigError) {
        try ResilienceConfigError.checkFinite(fraction, in: 0...1, key: "fraction")
        self.fraction = fraction
        self.salt = salt
        // fraction × 2^56 is exact scaling; rounding keeps tiny fractions from vanishing.
        self.threshold = Swift.min(Self.range, UInt64(roundingHalfUp: fraction * 0x1p56))
    }

    /// `true` when the trace with this id is mirrored.
    ///
    /// - Parameters:
    ///   - high: bytes 0–7 of the trace id, big-endian (`TraceID.hi`).
    ///   - low: bytes 8–15 of the trace id, big-endian (`TraceID.lo`); its low 56 bits are `R`.
    @inline(__always)
    public func shouldMirror(traceIDHigh high: UInt64, low: UInt64) -> Bool {
        Self.selectionValue(high: high, low: low, salt: salt) < threshold
    }

    /// The mixed value in `0..<2^56` that is compared with the threshold.
    @inline(__always)
    static func selectionValue(high: UInt64, low: UInt64, salt: UInt64) -> UInt64 {
        mix(mix(low ^ salt) ^ high) >> 8
    }

    /// The SplitMix64 output function (Steele, Lea, Flood 2014; constants from Stafford's mix13).
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
