// MetricsExposition+Routes: requests and request durations by route.
import TracegateDataPlane

extension MetricsExposition {
    /// `tracegate_route_requests_total{route,method,code}` (label sets that counted something) and
    /// `tracegate_route_request_duration_seconds{route}` for every route the process has known, and
    /// the injected faults.
    static func renderRoutes(_ report: MetricsReport, into w: inout MetricsWriter) {
        let requests = "tracegate_route_requests_total"
        w.family(requests, .counter, help: "Finished requests by route, method and status class.")
        for route in report.routes {
            for (m, byClass) in route.requests.enumerated() {
                for (c, count) in byClass.enumerated() where count > 0 {
                    w.sample(requests, [("route", route.name), ("method", WorkerMetrics.methodLabels[m]),
                                        ("code", WorkerMetrics.statusClassLabels[c])], count)
                }
            }
        }
        let duration = "tracegate_route_request_duration_seconds"
        w.family(duration, .histogram, help: "Time from the request head to the end of the response, by route.", unit: "seconds")
        for route in report.routes {
            w.histogram(duration, [("route", route.name)], route.duration)
        }
        renderFaults(report, into: &w)
    }

    /// `tracegate_faults_injected_total{route,kind,source}` (label sets that counted something):
    /// delays and aborts injected on purpose, so a dashboard can tell a rehearsal from an outage.
    static func renderFaults(_ report: MetricsReport, into w: inout MetricsWriter) {
        let faults = "tracegate_faults_injected_total"
        w.family(faults, .counter,
                 help: "Faults injected on purpose by route, kind (delay, abort) and source (the route's fault block, or a fault header).")
        for route in report.routes {
            for kind in FaultKind.allCases {
                for (s, source) in WorkerMetrics.faultSourceLabels.enumerated() where route.faults[kind.rawValue][s] > 0 {
                    w.sample(faults, [("route", route.name), ("kind", kind.label), ("source", source)],
                             route.faults[kind.rawValue][s])
                }
            }
        }
    }
}
