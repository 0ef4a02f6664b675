// MetricsExposition+Upstreams: upstream attempts, errors, timeouts, durations and connections.
import TracegateDataPlane

extension MetricsExposition {
    /// The error kinds: a 5xx answer, and every transport failure (an aborted attempt is the
    /// client's doing, not the upstream's, and is not an error here).
    static let errorKinds: [(kind: String, outcome: AttemptOutcome?)] = [
        ("status_5xx", nil), ("connect_failed", .connectFailed), ("connect_timeout", .connectTimeout), ("timeout", .timeout),
        ("reset", .reset), ("malformed_response", .malformedResponse), ("pool_exhausted", .poolExhausted),
    ]

    /// Per cluster, then per endpoint (cluster + address): attempts by outcome, errors and timeouts
    /// by kind (label sets that counted something), attempt durations; then the pool gauges.
    static func renderUpstreams(_ report: MetricsReport, into w: inout MetricsWriter) {
        let clusters = report.clusters.map { (labels: [("cluster", $0.name)] as MetricsWriter.Labels, upstream: $0.upstream) }
        let endpoints = report.endpoints.map {
            (labels: [("cluster", $0.cluster), ("endpoint", $0.endpoint)] as MetricsWriter.Labels, upstream: $0.upstream)
        }
        renderUpstreamFamilies(prefix: "tracegate_upstream", scope: "cluster", clusters, into: &w)
        renderUpstreamFamilies(prefix: "tracegate_upstream_endpoint", scope: "endpoint", endpoints, into: &w)

        let connections = "tracegate_upstream_connections"
        w.family(connections, .gauge,
                 help: "Upstream connections open now, by state: idle in the pool, or active (leased to an exchange).")
        for e in report.endpoints {
            w.sample(connections, [("cluster", e.cluster), ("endpoint", e.endpoint), ("state", "idle")], e.pool.idle)
            w.sample(connections, [("cluster", e.cluster), ("endpoint", e.endpoint), ("state", "active")], e.pool.active)
        }
    }

    private static func renderUpstreamFamilies(prefix: String, scope: String, _ rows: [(labels: MetricsWriter.Labels, upstream: MetricsReport.Upstream)],
                                               into w: inout MetricsWriter) {
        let attempts = "\(prefix)_attempts_total"
        w.family(attempts, .counter, help: "Upstream attempts by \(scope) and outcome (response, or the failure).")
        for row in rows {
            for (i, outcome) in WorkerMetrics.attemptOutcomes.enumerated() where row.upstream.attempts[i] > 0 {
                w.sample(attempts, row.labels + [("outcome", WorkerMetrics.outcomeLabel(outcome))], row.upstream.attempts[i])
            }
        }
        let errors = "\(prefix)_errors_total"
        w.family(errors, .counter, help: "Upstream attempts by \(scope) answered with a 5xx status or failed in transport, by kind.")
        for row in rows {
            for (kind, outcome) in errorKinds {
                let count = outcome.map { row.upstream.attempts($0) } ?? row.upstream.status5xx
                if count > 0 { w.sample(errors, row.labels + [("kind", kind)], count) }
            }
        }
        let timeouts = "\(prefix)_timeouts_total"
        w.family(timeouts, .counter, help: "Upstream attempts by \(scope) that timed out connecting or waiting for the response.")
        for row in rows {
            for (kind, outcome) in [("connect", AttemptOutcome.connectTimeout), ("response", .timeout)] {
                let count = row.upstream.attempts(outcome)
                if count > 0 { w.sample(timeouts, row.labels + [("kind", kind)], count) }
            }
        }
        let duration = "\(prefix)_attempt_duration_seconds"
        w.family(duration, .histogram, help: "Time from the start of an upstream attempt to its end, by \(scope).", unit: "seconds")
        for row in rows {
            w.histogram(duration, row.labels, row.upstream.duration)
        }
    }
}
