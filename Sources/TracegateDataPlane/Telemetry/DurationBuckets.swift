// DurationBuckets: the fixed bucket bounds of every duration histogram, in nanoseconds.

/// The upper bounds (`le`) of the request and attempt duration histograms: .001 .0025 .005 .01
/// .025 .05 .1 .25 .5 1 2.5 5 10 seconds, then +Inf.
///
/// Why fixed and shared: a worker finds the bucket of an observation with a few integer compares
/// against constants (no table to load, no allocation), and the scraper can sum the bucket arrays
/// of every worker and every slot position by position.
public enum DurationBuckets {
    /// Buckets including +Inf.
    public static let count = 14

    /// The finite upper bound of bucket `i` (0 ..< count - 1) in nanoseconds; `UInt64.max` for +Inf.
    /// A `switch` over constants compiles to a read-only table, so the request path needs no
    /// lazily initialised global.
    @inline(__always)
    public static func boundNanos(_ i: Int) -> UInt64 {
        switch i {
        case 0: 1_000_000
        case 1: 2_500_000
        case 2: 5_000_000
        case 3: 10_000_000
        case 4: 25_000_000
        case 5: 50_000_000
        case 6: 100_000_000
        case 7: 250_000_000
        case 8: 500_000_000
        case 9: 1_000_000_000
        case 10: 2_500_000_000
        case 11: 5_000_000_000
        case 12: 10_000_000_000
        default: UInt64.max
        }
    }

    /// The bucket of an observation: the first whose bound is at least `nanos` (`le` is inclusive).
    /// A short loop: typical requests land in the first few buckets.
    @inline(__always)
    public static func index(nanos: UInt64) -> Int {
        var i = 0
        while i < count - 1 && nanos > boundNanos(i) { i += 1 }
        return i
    }

    /// The `le` label of each bucket. Whole numbers carry ".0" and infinity is "+Inf", the
    /// canonical forms OpenMetrics asks for (Prometheus text accepts them as well).
    public static let labels = [
        "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf",
    ]
}
