// Exemplar: the ids of one sampled request kept beside a histogram bucket.

/// The most recent sampled observation of a histogram bucket: which trace and span it belongs to,
/// its value and when it happened. Rendered only in OpenMetrics, where a dashboard can jump from
/// a slow bucket straight to a trace that landed in it.
public struct Exemplar: Sendable, Equatable {
    public var traceHi: UInt64
    public var traceLo: UInt64
    public var spanID: UInt64
    public var valueNanos: UInt64
    /// Wall clock (ns since the Unix epoch) when the observation was made.
    public var wallNanos: UInt64

    public init(traceHi: UInt64, traceLo: UInt64, spanID: UInt64, valueNanos: UInt64, wallNanos: UInt64) {
        self.traceHi = traceHi
        self.traceLo = traceLo
        self.spanID = spanID
        self.valueNanos = valueNanos
        self.wallNanos = wallNanos
    }
}
