// WorkerMirror: one worker's shadow-traffic state.
import TracegateHTTP

/// Everything a worker keeps for mirroring besides the slots themselves: its own pools for shadow
/// connections, the per-route gates, the serial that pairs a primary with its shadow, a parse
/// target for shadow response heads, and the metrics block the scraper reads.
///
/// Why separate pools: shadow connections must never be leased to a primary exchange (a primary
/// would then wait behind staging's latency), and never take a primary's place under
/// `pool.max_connections`; a second `UpstreamPools` keyed by the same endpoint addresses gives
/// shadow traffic its own keep-alive connections with the same code and the same gauges.
struct WorkerMirror {
    var pools: UpstreamPools
    var gates = MirrorGates()
    /// The last serial handed out (0 is never used: it marks "none").
    var serial: UInt64 = 0
    /// Parse target for shadow response heads (the pump's is never borrowed).
    var responseHead = ResponseHead()
    /// Shadow connections that used up their share of one loop iteration with bytes still to
    /// read, resumed at the end of the iteration (slot, generation, serial).
    var resumeQueue: [(fd: Int32, generation: UInt32, serial: UInt64)] = []
    let metrics: MirrorMetrics

    init(gauges: WorkerMetrics, metrics: MirrorMetrics, snapshot: RuntimeSnapshot) {
        pools = UpstreamPools(metrics: gauges)
        self.metrics = metrics
        responseHead.headers.reserveCapacity(snapshot.headLimits.maxHeaderCount)
        apply(snapshot)
    }

    /// Takes a new snapshot: pools for its clusters, gates for its mirroring routes.
    mutating func apply(_ snapshot: RuntimeSnapshot) {
        pools.apply(snapshot)
        for route in snapshot.routes {
            if let policy = route.mirror { gates.configure(slot: slot(ofRouteSlot: route.metricSlot), maxInFlight: policy.maxInFlight) }
        }
    }

    /// The slot a route's gate, counters and gauge use: its metric slot, or the overflow slot
    /// for a route without one.
    func slot(ofRouteSlot metricSlot: Int) -> Int {
        metricSlot >= 0 && metricSlot < metrics.routeCapacity ? metricSlot : metrics.routeCapacity - 1
    }

    /// The next serial (never 0).
    mutating func nextSerial() -> UInt64 {
        serial &+= 1
        if serial == 0 { serial = 1 }
        return serial
    }
}
