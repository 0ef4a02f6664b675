// DataPlane+Metrics: summing the workers' metric blocks at scrape time.

extension DataPlane {
    /// Sums one figure over every worker's metric block.
    public func sum(_ read: (WorkerMetrics) -> UInt64) -> UInt64 {
        metrics.reduce(0) { $0 &+ read($1) }
    }

    /// Adds one histogram over every worker's metric block (newest exemplar per bucket).
    public func histogram(_ read: (WorkerMetrics) -> HistogramReading) -> HistogramReading {
        metrics.reduce(into: HistogramReading()) { $0.merge(read($1)) }
    }

    /// The connection figures of an endpoint slot over every worker.
    public func pool(slot: Int) -> PoolFigures {
        metrics.reduce(PoolFigures()) { $0 + $1.pool(slot: slot) }
    }
}
