// DebugState: /debug/state as JSON.
import Foundation
import TracegateDataPlane
import TracegateResilience

/// What the running process is configured with and doing: config version and hash, listeners,
/// routes with their request totals, clusters with their attempt totals and each endpoint's pool
/// (open, idle, in flight), and process-wide in-flight figures — read from the same per-worker
/// blocks as `/metrics`, summed now.
enum DebugState {
    static func render(state: ControlState, dataPlane: DataPlane, streams: DashboardStream? = nil) -> String {
        let snapshot = state.snapshot
        let clusters = snapshot?.clusters ?? []
        let mismatches = dataPlane.recentMirrorMismatches()
        let routes: [[String: Any]] = (snapshot?.routes ?? []).map { route in
            var entry: [String: Any] = [
                "name": route.name,
                "cluster": route.clusterIndex < clusters.count ? clusters[route.clusterIndex].name : "",
                "requests_total": routeRequests(dataPlane, slot: route.metricSlot),
            ]
            entry["mirror"] = mirrorSection(route, clusters: clusters, dataPlane: dataPlane, mismatches: mismatches)
            entry["fault"] = faultSection(route, dataPlane: dataPlane)
            return entry
        }
        var inFlight: UInt64 = 0
        let clusterObjects: [[String: Any]] = clusters.map { cluster in
            let pools: [[String: Any]] = cluster.endpoints.enumerated().map { j, address in
                let figures = dataPlane.pool(slot: cluster.endpointSlot(j))
                inFlight &+= figures.active
                var pool: [String: Any] = ["endpoint": address.description, "open": figures.open, "idle": figures.idle,
                                           "in_flight": figures.active]
                pool.merge(endpointGuards(dataPlane, slot: cluster.endpointSlot(j), breaker: cluster.resilience.breaker != nil)) { $1 }
                return pool
            }
            return [
                "name": cluster.name,
                "endpoints": cluster.endpoints.map(\.description),
                "pools": pools,
                "attempts_total": attempts(dataPlane, slot: cluster.metricSlot),
                "errors_total": errors(dataPlane, slot: cluster.metricSlot),
                "resilience": clusterGuards(dataPlane, slot: cluster.metricSlot),
            ]
        }
        var object: [String: Any] = [
            "config": ["version": snapshot?.version ?? 0, "hash": snapshot?.configHash ?? ""],
            "draining": state.draining,
            "workers": dataPlane.workerCount,
            "listeners": dataPlane.boundAddresses.map { ["name": $0.name, "address": $0.address.description] },
            "routes": routes,
            "clusters": clusterObjects,
            "connections_active": dataPlane.total(.connectionsActive),
            "requests_total": dataPlane.total(.requests),
            // Exchanges holding an upstream connection now (connecting, sending or receiving).
            "exchanges_in_flight": inFlight,
        ]
        if let streams {
            // The live dashboard's event streams: open now, served, and refused at the cap.
            object["dashboard_streams"] = ["active": streams.activeStreams, "max": streams.maxStreams,
                                           "served_total": streams.servedStreams, "rejected_total": streams.rejectedStreams]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Finished requests of a route slot, every method and status class.
    static func routeRequests(_ dataPlane: DataPlane, slot: Int) -> UInt64 {
        dataPlane.sum { w in
            var total: UInt64 = 0
            for m in WorkerMetrics.methodLabels.indices {
                for c in WorkerMetrics.statusClassLabels.indices { total &+= w.routeRequests(slot: slot, method: m, statusClass: c) }
            }
            return total
        }
    }

    /// Upstream attempts of a cluster slot, every outcome.
    static func attempts(_ dataPlane: DataPlane, slot: Int) -> UInt64 {
        dataPlane.sum { w in WorkerMetrics.attemptOutcomes.reduce(0) { $0 &+ w.upstreamAttempts(.cluster, slot: slot, outcome: $1) } }
    }

    /// Upstream errors of a cluster slot: 5xx answers and transport failures (as `/metrics` counts them).
    static func errors(_ dataPlane: DataPlane, slot: Int) -> UInt64 {
        dataPlane.sum { w in
            MetricsExposition.errorKinds.reduce(0) { total, kind in
                total &+ (kind.outcome.map { w.upstreamAttempts(.cluster, slot: slot, outcome: $0) } ?? w.upstream5xx(.cluster, slot: slot))
            }
        }
    }

    /// A cluster's retries, budget, thresholds and queue, summed over workers.
    static func clusterGuards(_ dataPlane: DataPlane, slot: Int) -> [String: Any] {
        let f = ClusterGuardFigures.collect(dataPlane, slot: slot)
        var givenUp: [String: UInt64] = [:]
        for (i, label) in ResilienceMetrics.giveUpLabels.enumerated() where f.givenUp[i] > 0 { givenUp[label] = f.givenUp[i] }
        var overloaded: [String: UInt64] = [:]
        for (i, r) in ConcurrencyResource.allCases.enumerated() where f.overloaded[i] > 0 { overloaded[r.label] = f.overloaded[i] }
        return [
            "retries_total": f.retries.reduce(0, &+),
            "retries_given_up": givenUp,
            "retries_active": f.retriesActive,
            "retry_budget_available": f.budgetAvailable,
            "pending_requests": f.pending,
            "overloaded": overloaded,
            "circuit_open_rejections": f.circuitRejected,
        ]
    }

    /// An endpoint's breaker (how many workers see it in each state) and ejection.
    static func endpointGuards(_ dataPlane: DataPlane, slot: Int, breaker: Bool) -> [String: Any] {
        let f = EndpointGuardFigures.collect(dataPlane, slot: slot)
        var result: [String: Any] = ["ejected_workers": f.ejected, "ejections_total": f.ejections.reduce(0, &+)]
        if breaker {
            var states: [String: UInt64] = [:]
            for (i, s) in ResilienceMetrics.breakerStates.enumerated() { states[s.label] = f.breakerStates[i] }
            result["breaker_workers"] = states
            // The worst state any worker is in, for a glance.
            result["breaker"] = f.breakerStates[1] > 0 ? "open" : (f.breakerStates[2] > 0 ? "half_open" : "closed")
        }
        return result
    }
}
