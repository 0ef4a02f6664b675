// GuardFigures: a scrape's retry, threshold, breaker and ejection figures, summed over workers.
import TracegateDataPlane
import TracegateResilience

/// One cluster's resilience figures for `/metrics` and `/debug/state`.
struct ClusterGuardFigures {
    /// By `ResilienceMetrics.RetryCause` position.
    var retries: [UInt64] = Array(repeating: 0, count: ResilienceMetrics.RetryCause.allCases.count)
    /// By `ResilienceMetrics.giveUpLabels` position.
    var givenUp: [UInt64] = Array(repeating: 0, count: ResilienceMetrics.giveUpLabels.count)
    /// By `ConcurrencyResource.allCases` position.
    var overloaded: [UInt64] = Array(repeating: 0, count: ConcurrencyResource.allCases.count)
    var circuitRejected: UInt64 = 0
    var budgetAvailable: UInt64 = 0
    var pending: UInt64 = 0
    var retriesActive: UInt64 = 0

    static func collect(_ dataPlane: DataPlane, slot: Int) -> ClusterGuardFigures {
        var f = ClusterGuardFigures()
        for w in dataPlane.resilience {
            for (i, cause) in ResilienceMetrics.RetryCause.allCases.enumerated() { f.retries[i] &+= w.retries(cluster: slot, cause: cause) }
            for i in f.givenUp.indices { f.givenUp[i] &+= w.givenUp(cluster: slot, reasonIndex: i) }
            for (i, r) in ConcurrencyResource.allCases.enumerated() { f.overloaded[i] &+= w.overloaded(cluster: slot, resource: r) }
            f.circuitRejected &+= w.circuitRejected(cluster: slot)
            f.budgetAvailable &+= w.budgetAvailable(cluster: slot)
            f.pending &+= w.pending(cluster: slot)
            f.retriesActive &+= w.retriesActive(cluster: slot)
        }
        return f
    }
}

/// One endpoint's breaker and ejection figures, summed over workers (a state gauge counts the
/// workers whose breaker is in that state).
struct EndpointGuardFigures {
    /// By `ResilienceMetrics.breakerStates` position.
    var breakerStates: [UInt64] = [0, 0, 0]
    var transitions: [UInt64] = [0, 0, 0]
    var ejected: UInt64 = 0
    /// By `ResilienceMetrics.ejectionReasons` position.
    var ejections: [UInt64] = [0, 0]
    var ejectionsSuppressed: UInt64 = 0

    /// Whether the endpoint has a breaker at all (some worker reports a state).
    var hasBreaker: Bool { breakerStates.contains { $0 > 0 } }

    static func collect(_ dataPlane: DataPlane, slot: Int) -> EndpointGuardFigures {
        var f = EndpointGuardFigures()
        for w in dataPlane.resilience {
            for (i, s) in ResilienceMetrics.breakerStates.enumerated() {
                f.breakerStates[i] &+= w.breakerState(endpoint: slot, s)
                f.transitions[i] &+= w.transitions(endpoint: slot, to: s)
            }
            f.ejected &+= w.ejected(endpoint: slot)
            for (i, r) in ResilienceMetrics.ejectionReasons.enumerated() { f.ejections[i] &+= w.ejections(endpoint: slot, reason: r) }
            f.ejectionsSuppressed &+= w.ejectionsSuppressed(endpoint: slot)
        }
        return f
    }
}
