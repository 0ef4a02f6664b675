// DataPlane+Mirror: summing the workers' mirror blocks at scrape time.

extension DataPlane {
    /// Sums one mirror figure over every worker.
    public func mirrorSum(_ read: (MirrorMetrics) -> UInt64) -> UInt64 {
        mirrorMetrics.reduce(0) { $0 &+ read($1) }
    }

    /// Shadow exchanges of the route in `slot` in flight now, over every worker.
    public func mirrorInFlight(slot: Int) -> Int64 {
        mirrorMetrics.reduce(0) { $0 &+ $1.inFlight(slot: slot) }
    }

    /// The mismatches every worker remembers, newest first.
    public func recentMirrorMismatches() -> [MirrorMismatch] {
        mirrorMetrics.flatMap { $0.recentMismatches() }.sorted { $0.wallNanos > $1.wallNanos }
    }
}
