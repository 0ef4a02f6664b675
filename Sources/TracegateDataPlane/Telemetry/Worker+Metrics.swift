// Worker+Metrics: the two request-path hooks that feed WorkerMetrics.
import TracegateContext

extension Worker {
    /// Counts a finished exchange under its route: method × status class and its duration, with
    /// the SERVER span as the bucket's exemplar when the request is sampled. A handful of relaxed
    /// stores into this worker's block; nothing allocates.
    @inline(__always)
    func countRouteMetrics(_ x: Exchange, totalNanos: UInt64) {
        var exemplar = ExemplarSource.none
        if let e = x.edge, e.isSampled {
            exemplar = ExemplarSource(traceHi: e.traceID.hi, traceLo: e.traceID.lo, spanID: e.serverSpanID.rawValue,
                                      wallNanos: x.startWallNanos &+ totalNanos)
        }
        metrics.recordRequest(slot: Int(x.routeSlot), method: x.method, status: x.status, nanos: totalNanos, exemplar: exemplar)
    }

    /// Counts a finished upstream attempt under its cluster and endpoint: outcome, 5xx, duration,
    /// with the attempt's CLIENT span as the exemplar when the request is sampled.
    @inline(__always)
    func countAttemptMetrics(_ x: Exchange, _ a: AttemptRecord) {
        let nanos = a.endOffsetNanos &- a.startOffsetNanos
        var exemplar = ExemplarSource.none
        if let e = x.edge, e.isSampled {
            exemplar = ExemplarSource(traceHi: e.traceID.hi, traceLo: e.traceID.lo, spanID: a.spanID.rawValue,
                                      wallNanos: x.startWallNanos &+ a.endOffsetNanos)
        }
        metrics.recordAttempt(cluster: Int(x.clusterSlot), endpoint: Int(x.endpointSlot), outcome: a.outcome,
                              status: a.status, nanos: nanos, exemplar: exemplar)
    }
}
