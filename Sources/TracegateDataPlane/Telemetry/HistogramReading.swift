// HistogramReading: one duration histogram as read at scrape time, summable over workers.

/// Per-bucket counts (not cumulative), the sum of observed nanoseconds, and each bucket's newest
/// exemplar. Workers store buckets separately, so the scraper adds readings of every worker and
/// accumulates only when rendering; the count is the sum of the buckets, which keeps `_count`
/// equal to the `+Inf` bucket in every scrape.
public struct HistogramReading: Sendable, Equatable {
    public var buckets: [UInt64]
    public var sumNanos: UInt64
    public var exemplars: [Exemplar?]

    public init() {
        buckets = Array(repeating: 0, count: DurationBuckets.count)
        sumNanos = 0
        exemplars = Array(repeating: nil, count: DurationBuckets.count)
    }

    public init(buckets: [UInt64], sumNanos: UInt64, exemplars: [Exemplar?]) {
        precondition(buckets.count == DurationBuckets.count && exemplars.count == DurationBuckets.count)
        self.buckets = buckets
        self.sumNanos = sumNanos
        self.exemplars = exemplars
    }

    /// Observations in all buckets.
    public var count: UInt64 { buckets.reduce(0, &+) }

    /// Adds another worker's reading; per bucket the more recent exemplar wins.
    public mutating func merge(_ other: HistogramReading) {
        for i in 0..<DurationBuckets.count {
            buckets[i] &+= other.buckets[i]
            if let e = other.exemplars[i], (exemplars[i]?.wallNanos ?? 0) < e.wallNanos { exemplars[i] = e }
        }
        sumNanos &+= other.sumNanos
    }
}
