// ExemplarSource: what a worker hands along with an observation when its request is sampled.

/// The trace and span of a sampled request and the wall-clock time of the observation, or
/// `none`. A plain value built on the request path (no allocation); the histogram writes it only
/// when `isSampled`, so unsampled traffic never links a bucket to a trace nobody exported.
struct ExemplarSource {
    var traceHi: UInt64 = 0
    var traceLo: UInt64 = 0
    var spanID: UInt64 = 0
    var wallNanos: UInt64 = 0

    static let none = ExemplarSource()

    /// A valid trace id means the request was sampled (callers pass `none` otherwise).
    var isSampled: Bool { traceHi | traceLo != 0 }
}
