// DebugState+Fault: a route's configured faults and what was injected, for /debug/state.
import TracegateDataPlane
import TracegateResilience

extension DebugState {
    /// `fault` of one route: its `fault:` block as running (`delay_ms`, `delay_percentage`,
    /// `abort_status`, `abort_percentage`) and `injected` (by kind and source, all workers), so
    /// an operator sees at a glance whether a rehearsal is configured and whether it is biting.
    /// nil for a route with no `fault:` block that never had a fault injected (header faults
    /// included).
    static func faultSection(_ route: RuntimeSnapshot.Route, dataPlane: DataPlane) -> [String: Any]? {
        var injected: [String: Any] = [:]
        var any = false
        for kind in FaultKind.allCases {
            var bySource: [String: Any] = [:]
            for (s, source) in WorkerMetrics.faultSourceLabels.enumerated() {
                let count = dataPlane.sum { $0.routeFaults(slot: route.metricSlot, kind: kind, source: s) }
                bySource[source] = count
                if count > 0 { any = true }
            }
            injected[kind.label] = bySource
        }
        guard route.fault != nil || any else { return nil }
        var section: [String: Any] = ["injected": injected]
        if let delay = route.fault?.delay {
            section["delay_ms"] = delay.nanos / 1_000_000
            section["delay_percentage"] = delay.percentage.percent
        }
        if let abort = route.fault?.abort {
            section["abort_status"] = Int(abort.status)
            section["abort_percentage"] = abort.percentage.percent
        }
        return section
    }
}
