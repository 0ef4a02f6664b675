// RatioSampler.swift — trace-id ratio sampling consistent with OpenTelemetry and Trace Context Level 2.

/// Decides from the trace id alone whether a new trace is sampled, so every instance of the
/// proxy (and every OpenTelemetry SDK using consistent probability sampling) agrees.
///
/// Rule (OpenTelemetry SDK spec, `ProbabilitySampler`, and "TraceState: Probability Sampling",
/// which replace the never-specified `TraceIdRatioBased` algorithm): the randomness `R` is the
/// right-most 7 bytes of the trace id (the bytes W3C Trace Context Level 2's random flag makes
/// uniform); the rejection threshold is `T = 2^56 − round(ratio × 2^56)`; a trace is sampled
/// iff `R ≥ T`. A higher ratio lowers `T`, so it samples a superset, as the spec requires.
/// `T` is computed once here; the per-request cost is one mask and one compare.
///
/// Used only for traces the edge starts: a continued trace keeps the caller's sampled flag
/// (`ParentBased` behaviour), because a ratio sampler MUST ignore the parent flag.
public struct RatioSampler: Hashable, Sendable {
    /// The configured ratio, clamped to `0...1` (NaN counts as 0).
    public let ratio: Double
    /// `T`, in `0...2^56`: `0` samples everything, `2^56` nothing.
    public let rejectionThreshold: UInt64

    private static let range: UInt64 = 1 << 56

    public init(ratio: Double) {
        let clamped = ratio.isNaN ? 0 : min(1, max(0, ratio))
        self.ratio = clamped
        // ratio × 2^56 is exact scaling; rounding it (not 1 − ratio) keeps precision for tiny ratios.
        let accepted = UInt64((clamped * 0x1p56).rounded())
        self.rejectionThreshold = Self.range - min(accepted, Self.range)
    }

    /// Samples every trace.
    public static let alwaysOn = RatioSampler(ratio: 1)
    /// Samples no trace.
    public static let alwaysOff = RatioSampler(ratio: 0)

    /// `true` when the trace with this id is sampled.
    @inline(__always)
    public func shouldSample(_ traceID: TraceID) -> Bool {
        traceID.randomness >= rejectionThreshold
    }
}
