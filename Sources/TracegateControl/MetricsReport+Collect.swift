// MetricsReport+Collect: reading every worker's counters and metric blocks for one scrape.
import TracegateDataPlane

extension MetricsReport {
    /// Sums every worker's blocks with relaxed loads (a worker never waits for a scrape) and
    /// labels slots from one copy of the registry.
    static func collect(dataPlane: DataPlane, snapshot: RuntimeSnapshot?, spans: SpanExportStats?) -> MetricsReport {
        var report = MetricsReport()
        for name in WorkerCounters.Name.allCases { report.counters[name] = dataPlane.total(name) }
        for (i, code) in ErrorCodes.all.enumerated() {
            report.errors.append((code, dataPlane.counters.reduce(UInt64(0)) { $0 &+ $1.loadError(i) }))
        }
        // A configured name or prefix may repeat a built-in one: one entry per distinct label.
        for (i, name) in (snapshot?.edge.sanitizer.labels ?? []).enumerated() where i < WorkerCounters.stripLabelCapacity {
            let count = dataPlane.counters.reduce(UInt64(0)) { $0 &+ $1.loadStripped(i) }
            if let j = report.stripped.firstIndex(where: { $0.header == name }) {
                report.stripped[j].count &+= count
            } else {
                report.stripped.append((name, count))
            }
        }

        let labels = dataPlane.metricSlots.labels()
        let capacity = dataPlane.metricSlots.capacity
        for (slot, name) in labels.routeSlots(capacity: capacity) {
            var route = Route(name: name)
            for m in route.requests.indices {
                for c in route.requests[m].indices {
                    route.requests[m][c] = dataPlane.sum { $0.routeRequests(slot: slot, method: m, statusClass: c) }
                }
            }
            route.duration = dataPlane.histogram { $0.routeDuration(slot: slot) }
            for kind in FaultKind.allCases {
                for source in WorkerMetrics.faultSourceLabels.indices {
                    route.faults[kind.rawValue][source] = dataPlane.sum { $0.routeFaults(slot: slot, kind: kind, source: source) }
                }
            }
            report.routes.append(route)
        }
        for (slot, name) in labels.clusterSlots(capacity: capacity) {
            report.clusters.append(Cluster(name: name, upstream: upstream(dataPlane, .cluster, slot),
                                           guards: ClusterGuardFigures.collect(dataPlane, slot: slot)))
        }
        for (slot, cluster, endpoint) in labels.endpointSlots(capacity: capacity) {
            report.endpoints.append(Endpoint(cluster: cluster, endpoint: endpoint, upstream: upstream(dataPlane, .endpoint, slot),
                                             pool: dataPlane.pool(slot: slot), guards: EndpointGuardFigures.collect(dataPlane, slot: slot)))
        }
        report.spans = spans
        report.mirror = MirrorReport.collect(dataPlane: dataPlane, snapshot: snapshot)
        return report
    }

    private static func upstream(_ dataPlane: DataPlane, _ scope: WorkerMetrics.UpstreamScope, _ slot: Int) -> Upstream {
        var u = Upstream()
        for (i, outcome) in WorkerMetrics.attemptOutcomes.enumerated() {
            u.attempts[i] = dataPlane.sum { $0.upstreamAttempts(scope, slot: slot, outcome: outcome) }
        }
        u.status5xx = dataPlane.sum { $0.upstream5xx(scope, slot: slot) }
        u.duration = dataPlane.histogram { $0.upstreamDuration(scope, slot: slot) }
        return u
    }
}
