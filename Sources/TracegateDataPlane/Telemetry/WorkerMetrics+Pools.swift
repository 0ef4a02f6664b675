// WorkerMetrics+Pools: the connection gauges of each endpoint slot.
import CTracegateShims

extension WorkerMetrics {
    /// Moves the gauges of an endpoint slot by signed deltas. Each worker adds only its own
    /// connections, so its words never go below zero and the scraper's sum is exact.
    @inline(__always)
    func adjustPool(slot: Int, open: Int = 0, idle: Int = 0, active: Int = 0) {
        guard slot >= 0 && slot < capacity.endpoints else { return }
        let g = gauges + slot * Layout.gaugeStride
        if open != 0 { Self.bump(g, UInt64(bitPattern: Int64(open))) }
        if idle != 0 { Self.bump(g + 1, UInt64(bitPattern: Int64(idle))) }
        if active != 0 { Self.bump(g + 2, UInt64(bitPattern: Int64(active))) }
    }

    /// This worker's connections of an endpoint slot.
    public func pool(slot: Int) -> PoolFigures {
        guard slot >= 0 && slot < capacity.endpoints else { return PoolFigures() }
        let g = gauges + slot * Layout.gaugeStride
        return PoolFigures(open: tg_load_relaxed(g), idle: tg_load_relaxed(g + 1), active: tg_load_relaxed(g + 2))
    }
}
