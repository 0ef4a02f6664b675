// MetricsRendererTests: the exposition of synthetic figures, in both dialects.
import Testing
@testable import TracegateControl
@testable import TracegateDataPlane

@Suite struct MetricsRendererTests {
    static let exemplar = Exemplar(traceHi: 0x4bf9_2f35_77b3_4da6, traceLo: 0xa3ce_929d_0e0e_4736, spanID: 0x00f0_67aa_0ba9_02b7,
                                   valueNanos: 3_100_000, wallNanos: 1_700_000_000_123_456_789)

    /// One route ("checkout") with 3 GET 2xx and 1 POST 5xx, durations in buckets 2 (with an
    /// exemplar) and 5; one cluster and one endpoint with 4 attempts, one of them 503, one timeout.
    static func report() -> MetricsReport {
        var r = MetricsReport()
        for name in WorkerCounters.Name.allCases { r.counters[name] = 0 }
        r.counters[.requests] = 4
        r.errors = [("no_route", 2)]
        r.stripped = [("x-b3-*", 1)]
        var duration = HistogramReading()
        duration.buckets[2] = 3
        duration.buckets[5] = 1
        duration.sumNanos = 42_500_000
        duration.exemplars[2] = exemplar
        var route = MetricsReport.Route(name: "checkout")
        route.requests[0][1] = 3
        route.requests[2][4] = 1
        route.duration = duration
        r.routes = [route]
        var upstream = MetricsReport.Upstream()
        upstream.attempts[0] = 3
        upstream.attempts[3] = 1  // timeout
        upstream.status5xx = 1
        upstream.duration = duration
        r.clusters = [.init(name: "shop", upstream: upstream)]
        r.endpoints = [.init(cluster: "shop", endpoint: "10.0.0.5:9000", upstream: upstream, pool: PoolFigures(open: 3, idle: 2, active: 1))]
        return r
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func prometheusTextHasCumulativeBucketsAndNoExemplars() {
        let text = MetricsExposition.render(Self.report(), dialect: .prometheus)
        let lines = Self.lines(text)
        #expect(lines.contains("# TYPE tracegate_route_requests_total counter"))
        #expect(lines.contains("tracegate_route_requests_total{route=\"checkout\",method=\"GET\",code=\"2xx\"} 3"))
        #expect(lines.contains("tracegate_route_requests_total{route=\"checkout\",method=\"POST\",code=\"5xx\"} 1"))
        #expect(!text.contains("method=\"PUT\""), "label sets that counted nothing are left out")
        #expect(lines.contains("# TYPE tracegate_route_request_duration_seconds histogram"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_bucket{route=\"checkout\",le=\"0.0025\"} 0"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_bucket{route=\"checkout\",le=\"0.005\"} 3"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_bucket{route=\"checkout\",le=\"0.05\"} 4"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_bucket{route=\"checkout\",le=\"+Inf\"} 4"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_count{route=\"checkout\"} 4"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_sum{route=\"checkout\"} 0.0425"))
        #expect(!text.contains(" # {"), "no exemplars in Prometheus text")
        #expect(!text.contains("# UNIT") && !text.contains("# EOF"))
        #expect(lines.contains("tracegate_requests_total 4"))
        #expect(lines.contains("tracegate_errors_total{error=\"no_route\"} 2"))
        #expect(lines.contains("tracegate_untrusted_headers_stripped_total{header=\"x-b3-*\"} 1"))
    }

    @Test func faultsAreCountedByRouteKindAndSourceInBothDialects() {
        var report = Self.report()
        report.routes[0].faults[FaultKind.delay.rawValue] = [5, 0]
        report.routes[0].faults[FaultKind.abort.rawValue] = [0, 2]
        for dialect in [MetricsDialect.prometheus, .openMetrics] {
            let text = MetricsExposition.render(report, dialect: dialect)
            let lines = Self.lines(text)
            let declared = dialect == .openMetrics ? "tracegate_faults_injected" : "tracegate_faults_injected_total"
            #expect(lines.contains("# TYPE \(declared) counter"), "\(dialect)")
            #expect(lines.contains("tracegate_faults_injected_total{route=\"checkout\",kind=\"delay\",source=\"route\"} 5"), "\(dialect)")
            #expect(lines.contains("tracegate_faults_injected_total{route=\"checkout\",kind=\"abort\",source=\"header\"} 2"), "\(dialect)")
            #expect(!text.contains("kind=\"delay\",source=\"header\""), "label sets that counted nothing are left out")
        }
        // No fault yet: the family is declared, without samples.
        let quiet = MetricsExposition.render(Self.report(), dialect: .prometheus)
        #expect(Self.lines(quiet).contains("# TYPE tracegate_faults_injected_total counter"))
        #expect(!quiet.contains("tracegate_faults_injected_total{"))
    }

    @Test func upstreamFamiliesCountByClusterAndEndpoint() {
        let lines = Self.lines(MetricsExposition.render(Self.report(), dialect: .prometheus))
        #expect(lines.contains("tracegate_upstream_attempts_total{cluster=\"shop\",outcome=\"response\"} 3"))
        #expect(lines.contains("tracegate_upstream_attempts_total{cluster=\"shop\",outcome=\"timeout\"} 1"))
        #expect(lines.contains("tracegate_upstream_errors_total{cluster=\"shop\",kind=\"status_5xx\"} 1"))
        #expect(lines.contains("tracegate_upstream_errors_total{cluster=\"shop\",kind=\"timeout\"} 1"))
        #expect(lines.contains("tracegate_upstream_timeouts_total{cluster=\"shop\",kind=\"response\"} 1"))
        #expect(!lines.contains { $0.hasPrefix("tracegate_upstream_timeouts_total{cluster=\"shop\",kind=\"connect\"}") })
        #expect(lines.contains("tracegate_upstream_attempt_duration_seconds_count{cluster=\"shop\"} 4"))
        let endpoint = "cluster=\"shop\",endpoint=\"10.0.0.5:9000\""
        #expect(lines.contains("tracegate_upstream_endpoint_attempts_total{\(endpoint),outcome=\"response\"} 3"))
        #expect(lines.contains("tracegate_upstream_endpoint_errors_total{\(endpoint),kind=\"status_5xx\"} 1"))
        #expect(lines.contains("tracegate_upstream_endpoint_timeouts_total{\(endpoint),kind=\"response\"} 1"))
        #expect(lines.contains("tracegate_upstream_endpoint_attempt_duration_seconds_bucket{\(endpoint),le=\"0.005\"} 3"))
        #expect(lines.contains("tracegate_upstream_connections{\(endpoint),state=\"idle\"} 2"))
        #expect(lines.contains("tracegate_upstream_connections{\(endpoint),state=\"active\"} 1"))
    }

    @Test func openMetricsDeclaresCountersWithoutTotalCarriesExemplarsAndEnds() {
        let text = MetricsExposition.render(Self.report(), dialect: .openMetrics)
        let lines = Self.lines(text)
        #expect(lines.contains("# TYPE tracegate_route_requests counter"))
        #expect(lines.contains("# HELP tracegate_route_requests Finished requests by route, method and status class."))
        #expect(lines.contains("tracegate_route_requests_total{route=\"checkout\",method=\"GET\",code=\"2xx\"} 3"))
        #expect(lines.contains("# TYPE tracegate_requests counter"))
        #expect(lines.contains("tracegate_requests_total 4"))
        #expect(!lines.contains { $0.hasPrefix("# TYPE") && $0.contains("_total ") }, "no counter family is declared with _total")
        #expect(lines.contains("# UNIT tracegate_route_request_duration_seconds seconds"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_bucket{route=\"checkout\",le=\"0.005\"} 3 "
            + "# {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\",span_id=\"00f067aa0ba902b7\"} 0.0031 1700000000.123"))
        #expect(lines.contains("tracegate_route_request_duration_seconds_bucket{route=\"checkout\",le=\"0.05\"} 4"),
                "a bucket without an exemplar has none")
        #expect(lines.last == "# EOF")
        #expect(text.hasSuffix("# EOF\n"))
        #expect(!text.contains("\n\n"), "OpenMetrics has no blank lines")
    }

    @Test func everyFamilyIsDeclaredOnceWithHelpInBothDialects() {
        for dialect in [MetricsDialect.prometheus, .openMetrics] {
            let lines = Self.lines(MetricsExposition.render(Self.report(), dialect: dialect))
            let types = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
            let helps = lines.filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] }
            #expect(Set(types).count == types.count, "\(dialect): a family declared twice")
            #expect(types == helps, "\(dialect): every TYPE has its HELP")
            for name in ["tracegate_connections_accepted_total", "tracegate_responses_total", "tracegate_upstream_failures_total",
                         "tracegate_bytes_sent_total", "tracegate_access_log_dropped_total"] {
                let declared = dialect == .openMetrics ? String(name.dropLast(6)) : name
                #expect(types.contains(Substring(declared)), "\(dialect): \(declared)")
            }
        }
    }

    @Test func spanFamiliesAreAlwaysThere() {
        let none = Self.lines(MetricsExposition.render(Self.report(), dialect: .prometheus))
        #expect(none.contains("tracegate_spans_exported_total 0"))
        for reason in ["queue_full", "export_failed", "rejected"] {
            #expect(none.contains("tracegate_spans_dropped_total{reason=\"\(reason)\"} 0"))
        }
        var report = Self.report()
        report.spans = SpanExportStats(exported: 12, dropped: [("queue_full", 2), ("too_big", 1), ("queue_full", 3)])
        let some = Self.lines(MetricsExposition.render(report, dialect: .prometheus))
        #expect(some.contains("tracegate_spans_exported_total 12"))
        #expect(some.contains("tracegate_spans_dropped_total{reason=\"queue_full\"} 5"))
        #expect(some.contains("tracegate_spans_dropped_total{reason=\"export_failed\"} 0"))
        #expect(some.contains("tracegate_spans_dropped_total{reason=\"too_big\"} 1"))
    }

    @Test func labelValuesAreEscaped() {
        var report = Self.report()
        report.routes[0].name = "a\"b\\c\nd"
        let text = MetricsExposition.render(report, dialect: .prometheus)
        #expect(text.contains("tracegate_route_request_duration_seconds_count{route=\"a\\\"b\\\\c\\nd\"} 4"))
    }

    @Test func exemplarTimestampsKeepMillisecondsWithLeadingZeros() {
        let e = Exemplar(traceHi: 1, traceLo: 2, spanID: 3, valueNanos: 1_000_000_000, wallNanos: 1_700_000_000_007_000_000)
        #expect(MetricsWriter.exemplar(e)
            == " # {trace_id=\"00000000000000010000000000000002\",span_id=\"0000000000000003\"} 1.0 1700000000.007")
    }
}
