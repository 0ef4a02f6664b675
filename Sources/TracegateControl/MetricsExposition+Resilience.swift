// MetricsExposition+Resilience: retries, budgets, thresholds, breakers and ejections.
import TracegateDataPlane
import TracegateResilience

extension MetricsExposition {
    /// Cluster families, then endpoint families. Counters print only label sets that counted
    /// something; gauges print for every cluster (and every endpoint with a breaker), zeros
    /// included, so an alert on them has a series to watch from the start.
    static func renderResilience(_ report: MetricsReport, into w: inout MetricsWriter) {
        let retries = "tracegate_retries_total"
        w.family(retries, .counter, help: "Retries made, by cluster and the failed attempt's cause.")
        for c in report.clusters {
            for (i, cause) in ResilienceMetrics.RetryCause.allCases.enumerated() where c.guards.retries[i] > 0 {
                w.sample(retries, [("cluster", c.name), ("cause", cause.label)], c.guards.retries[i])
            }
        }
        let givenUp = "tracegate_retries_given_up_total"
        w.family(givenUp, .counter,
                 help: "Failed attempts not retried although retry_on matched, by cluster and reason (budget_exhausted, attempts_exhausted, not_idempotent, body_not_replayable, deadline_exceeded, retry_after_too_long, max_retries).")
        for c in report.clusters {
            for (i, label) in ResilienceMetrics.giveUpLabels.enumerated() where c.guards.givenUp[i] > 0 {
                w.sample(givenUp, [("cluster", c.name), ("reason", label)], c.guards.givenUp[i])
            }
        }
        let overloaded = "tracegate_overloaded_total"
        w.family(overloaded, .counter,
                 help: "Times a circuit_breakers threshold was full, by cluster and threshold (max_requests and max_pending_requests answer 503, max_connections queues, max_retries skips the retry).")
        for c in report.clusters {
            for (i, r) in ConcurrencyResource.allCases.enumerated() where c.guards.overloaded[i] > 0 {
                w.sample(overloaded, [("cluster", c.name), ("threshold", r.label)], c.guards.overloaded[i])
            }
        }
        let rejected = "tracegate_circuit_open_rejections_total"
        w.family(rejected, .counter, help: "Requests answered 503 because every endpoint of the cluster had an open breaker.")
        for c in report.clusters where c.guards.circuitRejected > 0 {
            w.sample(rejected, [("cluster", c.name)], c.guards.circuitRejected)
        }
        let budget = "tracegate_retry_budget_available"
        w.family(budget, .gauge, help: "Retries the cluster's budget would allow now, summed over workers.")
        for c in report.clusters { w.sample(budget, [("cluster", c.name)], c.guards.budgetAvailable) }
        let pending = "tracegate_pending_requests"
        w.family(pending, .gauge, help: "Requests waiting for an upstream connection now.")
        for c in report.clusters { w.sample(pending, [("cluster", c.name)], c.guards.pending) }
        let active = "tracegate_retries_active"
        w.family(active, .gauge, help: "Retries in flight now (counted against circuit_breakers.max_retries).")
        for c in report.clusters { w.sample(active, [("cluster", c.name)], c.guards.retriesActive) }
        renderEndpointGuards(report, into: &w)
    }

    private static func renderEndpointGuards(_ report: MetricsReport, into w: inout MetricsWriter) {
        let state = "tracegate_circuit_breaker_state"
        w.family(state, .gauge, help: "Workers whose breaker for the endpoint is in this state (closed, open, half_open).")
        for e in report.endpoints where e.guards.hasBreaker {
            for (i, s) in ResilienceMetrics.breakerStates.enumerated() {
                w.sample(state, [("cluster", e.cluster), ("endpoint", e.endpoint), ("state", s.label)], e.guards.breakerStates[i])
            }
        }
        let transitions = "tracegate_circuit_breaker_transitions_total"
        w.family(transitions, .counter, help: "Breaker state changes, by endpoint and the state entered.")
        for e in report.endpoints {
            for (i, s) in ResilienceMetrics.breakerStates.enumerated() where e.guards.transitions[i] > 0 {
                w.sample(transitions, [("cluster", e.cluster), ("endpoint", e.endpoint), ("to", s.label)], e.guards.transitions[i])
            }
        }
        let ejected = "tracegate_outlier_ejected"
        w.family(ejected, .gauge, help: "Workers that have the endpoint ejected now.")
        for e in report.endpoints { w.sample(ejected, [("cluster", e.cluster), ("endpoint", e.endpoint)], e.guards.ejected) }
        let ejections = "tracegate_outlier_ejections_total"
        w.family(ejections, .counter, help: "Endpoint ejections, by reason.")
        for e in report.endpoints {
            for (i, r) in ResilienceMetrics.ejectionReasons.enumerated() where e.guards.ejections[i] > 0 {
                w.sample(ejections, [("cluster", e.cluster), ("endpoint", e.endpoint), ("reason", r.label)], e.guards.ejections[i])
            }
        }
        let suppressed = "tracegate_outlier_ejections_suppressed_total"
        w.family(suppressed, .counter, help: "Ejections refused because max_ejection_percent of the cluster was already ejected.")
        for e in report.endpoints where e.guards.ejectionsSuppressed > 0 {
            w.sample(suppressed, [("cluster", e.cluster), ("endpoint", e.endpoint)], e.guards.ejectionsSuppressed)
        }
    }
}
