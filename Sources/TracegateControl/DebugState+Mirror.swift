// DebugState+Mirror: a route's "mirror" section in /debug/state.
import TracegateDataPlane
import TracegateResilience

extension DebugState {
    /// How many recent mismatches a route lists.
    static let recentMismatchLimit = MirrorMetrics.recentCapacity

    /// The `mirror` object of a route that mirrors (nil otherwise): where to and how much, what
    /// happened to the copies, how the comparisons came out, and the newest mismatches with
    /// their trace ids (from every worker; the ids to look up in the trace UI).
    static func mirrorSection(_ route: RuntimeSnapshot.Route, clusters: [RuntimeSnapshot.Cluster], dataPlane: DataPlane,
                              mismatches: [MirrorMismatch]) -> [String: Any]? {
        guard let policy = route.mirror else { return nil }
        let slot = route.metricSlot
        func diffs(_ k: Int) -> UInt64 { dataPlane.mirrorSum { $0.diffs(slot: slot, kindIndex: k) } }
        let kinds = MirrorComparison.kindLabels.indices
        var byKind: [String: UInt64] = [:]
        for k in kinds where diffs(k) > 0 { byKind[MirrorComparison.kindLabels[k]] = diffs(k) }
        var responses: [String: UInt64] = [:]
        for outcome in WorkerMetrics.attemptOutcomes {
            let n = dataPlane.mirrorSum { $0.responses(slot: slot, outcome) }
            if n > 0 { responses[WorkerMetrics.outcomeLabel(outcome)] = n }
        }
        let recent: [[String: Any]] = mismatches.lazy.filter { $0.routeSlot == slot }.prefix(recentMismatchLimit).map { m in
            [
                "trace_id": MetricsWriter.hex(m.traceHi, digits: 16) + MetricsWriter.hex(m.traceLo, digits: 16),
                "kind": m.kind,
                "primary_status": Int(m.primaryStatus),
                "shadow_status": Int(m.shadowStatus),
            ]
        }
        return [
            "cluster": policy.clusterIndex < clusters.count ? clusters[policy.clusterIndex].name : "",
            "fraction": policy.selector.fraction,
            "compare": policy.compareBody ? "body" : "status",
            "sent": dataPlane.mirrorSum { $0.requests(slot: slot, .sent) },
            "dropped": dataPlane.mirrorSum { $0.requests(slot: slot, .droppedInFlight) },
            "skipped_body": dataPlane.mirrorSum { $0.requests(slot: slot, .skippedBody) },
            "in_flight": dataPlane.mirrorInFlight(slot: slot),
            "matched": kinds.filter { MirrorComparison.isMatch(kindIndex: $0) }.reduce(0) { $0 &+ diffs($1) },
            "mismatched": kinds.filter { MirrorComparison.isMismatch(kindIndex: $0) }.reduce(0) { $0 &+ diffs($1) },
            "diff": byKind,
            "responses": responses,
            "recent_mismatches": recent,
        ]
    }
}
