// WorkerMetrics+Histogram: observing into, and reading, one duration histogram block.
import CTracegateShims

extension WorkerMetrics {
    /// Counts one observation: its bucket and the sum (two relaxed stores), and for a sampled
    /// request the bucket's exemplar.
    @inline(__always)
    static func observe(_ histogram: UnsafeMutablePointer<UInt64>, nanos: UInt64, exemplar: ExemplarSource) {
        let i = DurationBuckets.index(nanos: nanos)
        bump(histogram + i)
        bump(histogram + DurationBuckets.count, nanos)
        if exemplar.isSampled {
            exemplarCell(histogram, bucket: i).write(Exemplar(
                traceHi: exemplar.traceHi, traceLo: exemplar.traceLo, spanID: exemplar.spanID,
                valueNanos: nanos, wallNanos: exemplar.wallNanos))
        }
    }

    @inline(__always)
    static func exemplarCell(_ histogram: UnsafeMutablePointer<UInt64>, bucket: Int) -> ExemplarCell {
        ExemplarCell(base: histogram + DurationBuckets.count + 1 + bucket * ExemplarCell.words)
    }

    /// Reads a histogram block from any thread.
    static func readHistogram(_ histogram: UnsafeMutablePointer<UInt64>) -> HistogramReading {
        var reading = HistogramReading()
        for i in 0..<DurationBuckets.count {
            reading.buckets[i] = tg_load_relaxed(histogram + i)
            reading.exemplars[i] = exemplarCell(histogram, bucket: i).read()
        }
        reading.sumNanos = tg_load_relaxed(histogram + DurationBuckets.count)
        return reading
    }
}
