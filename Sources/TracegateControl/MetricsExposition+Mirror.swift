// MetricsExposition+Mirror: shadow-traffic requests, outcomes, comparisons and in-flight gauge.
import TracegateDataPlane
import TracegateResilience

extension MetricsExposition {
    /// `tracegate_mirror_requests_total{route,outcome}` (every outcome for a mirroring route),
    /// `tracegate_mirror_responses_total{route,outcome}` and `tracegate_mirror_diff_total{route,kind}`
    /// (label sets that counted something), and `tracegate_mirror_in_flight{route}`.
    static func renderMirror(_ report: MirrorReport, into w: inout MetricsWriter) {
        let requests = "tracegate_mirror_requests_total"
        w.family(requests, .counter,
                 help: "Requests selected for mirroring by route and outcome: sent to the shadow cluster, dropped at max_in_flight, or skipped for a body over max_body.")
        for route in report.routes {
            for outcome in MirrorMetrics.RequestOutcome.allCases where route.mirrors || route.requests(outcome) > 0 {
                w.sample(requests, [("route", route.name), ("outcome", outcome.label)], route.requests(outcome))
            }
        }
        let responses = "tracegate_mirror_responses_total"
        w.family(responses, .counter,
                 help: "Shadow exchanges by route and how they ended: response, or the failure (never retried, never seen by the client).")
        for route in report.routes {
            for (i, outcome) in WorkerMetrics.attemptOutcomes.enumerated() where route.responses[i] > 0 {
                w.sample(responses, [("route", route.name), ("outcome", WorkerMetrics.outcomeLabel(outcome))], route.responses[i])
            }
        }
        let diff = "tracegate_mirror_diff_total"
        w.family(diff, .counter,
                 help: "Comparisons of the shadow's response with the primary's by route and kind (status or body match or mismatch, or why skipped).")
        for route in report.routes {
            for (k, kind) in MirrorComparison.kindLabels.enumerated() where route.diffs[k] > 0 {
                w.sample(diff, [("route", route.name), ("kind", kind)], route.diffs[k])
            }
        }
        let inFlight = "tracegate_mirror_in_flight"
        w.family(inFlight, .gauge, help: "Shadow exchanges in flight now, by route.")
        for route in report.routes {
            w.sample(inFlight, [("route", route.name)], UInt64(max(route.inFlight, 0)))
        }
    }
}
