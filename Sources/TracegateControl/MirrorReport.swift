// MirrorReport: shadow-traffic figures of one scrape, by route, summed over workers.
import TracegateDataPlane
import TracegateResilience

/// Per route: what happened to requests selected for mirroring, how their shadow exchanges
/// ended, how the comparisons came out, and how many shadows are in flight.
///
/// Which routes: every route that mirrors in the current snapshot, and every route that ever
/// counted something (a reload that removes a mirror keeps its series monotonic).
struct MirrorReport {
    struct Route {
        var name: String
        var slot: Int
        /// The route mirrors in the current snapshot.
        var mirrors: Bool
        /// By `MirrorMetrics.RequestOutcome.allCases` position.
        var requests: [UInt64]
        /// By `WorkerMetrics.attemptOutcomes` position.
        var responses: [UInt64]
        /// By `MirrorComparison.kindLabels` position.
        var diffs: [UInt64]
        var inFlight: Int64

        func requests(_ outcome: MirrorMetrics.RequestOutcome) -> UInt64 { requests[outcome.rawValue] }
    }

    var routes: [Route] = []

    static func collect(dataPlane: DataPlane, snapshot: RuntimeSnapshot?) -> MirrorReport {
        let mirroring = Set((snapshot?.routes ?? []).filter { $0.mirror != nil }.map(\.metricSlot))
        var report = MirrorReport()
        let labels = dataPlane.metricSlots.labels()
        for (slot, name) in labels.routeSlots(capacity: dataPlane.metricSlots.capacity) {
            let route = Route(
                name: name, slot: slot, mirrors: mirroring.contains(slot),
                requests: MirrorMetrics.RequestOutcome.allCases.map { o in dataPlane.mirrorSum { $0.requests(slot: slot, o) } },
                responses: WorkerMetrics.attemptOutcomes.map { o in dataPlane.mirrorSum { $0.responses(slot: slot, o) } },
                diffs: MirrorComparison.kindLabels.indices.map { k in dataPlane.mirrorSum { $0.diffs(slot: slot, kindIndex: k) } },
                inFlight: dataPlane.mirrorInFlight(slot: slot))
            if route.mirrors || route.requests.contains(where: { $0 > 0 }) { report.routes.append(route) }
        }
        return report
    }
}
