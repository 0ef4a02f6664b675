// MirrorExpositionTests: the shadow-traffic families rendered from synthetic figures.
import Testing
import TracegateResilience
@testable import TracegateControl
@testable import TracegateDataPlane

@Suite struct MirrorExpositionTests {
    /// "checkout" mirrors: 10 selected, 7 sent, 2 dropped, 1 skipped; 5 responses, 2 timeouts;
    /// 4 status matches, 1 status mismatch; 1 in flight. "legacy" no longer mirrors but counted once.
    static func report() -> MirrorReport {
        func zeros(_ n: Int) -> [UInt64] { Array(repeating: 0, count: n) }
        var checkout = MirrorReport.Route(name: "checkout", slot: 0, mirrors: true, requests: [7, 2, 1],
                                          responses: zeros(WorkerMetrics.attemptOutcomes.count), diffs: zeros(9), inFlight: 1)
        checkout.responses[WorkerMetrics.attemptOutcomes.firstIndex(of: .response)!] = 5
        checkout.responses[WorkerMetrics.attemptOutcomes.firstIndex(of: .timeout)!] = 2
        checkout.diffs[MirrorComparison.statusMatch.kindIndex] = 4
        checkout.diffs[MirrorComparison.statusMismatch(primary: 200, mirror: 500).kindIndex] = 1
        let legacy = MirrorReport.Route(name: "legacy", slot: 1, mirrors: false, requests: [1, 0, 0],
                                        responses: zeros(WorkerMetrics.attemptOutcomes.count), diffs: zeros(9), inFlight: 0)
        return MirrorReport(routes: [checkout, legacy])
    }

    static func render(_ dialect: MetricsDialect) -> [String] {
        var w = MetricsWriter(dialect: dialect)
        MetricsExposition.renderMirror(report(), into: &w)
        return w.finish().split(separator: "\n").map(String.init)
    }

    @Test func prometheusTextHasEveryFamilyWithRouteLabels() {
        let lines = Self.render(.prometheus)
        #expect(lines.contains("# TYPE tracegate_mirror_requests_total counter"))
        #expect(lines.contains("tracegate_mirror_requests_total{route=\"checkout\",outcome=\"sent\"} 7"))
        #expect(lines.contains("tracegate_mirror_requests_total{route=\"checkout\",outcome=\"dropped_in_flight\"} 2"))
        #expect(lines.contains("tracegate_mirror_requests_total{route=\"checkout\",outcome=\"skipped_body\"} 1"))
        #expect(lines.contains("tracegate_mirror_requests_total{route=\"legacy\",outcome=\"sent\"} 1"))
        #expect(!lines.contains { $0.hasPrefix("tracegate_mirror_requests_total{route=\"legacy\",outcome=\"dropped") },
                "a route that no longer mirrors keeps only what it counted")
        #expect(lines.contains("# TYPE tracegate_mirror_responses_total counter"))
        #expect(lines.contains("tracegate_mirror_responses_total{route=\"checkout\",outcome=\"response\"} 5"))
        #expect(lines.contains("tracegate_mirror_responses_total{route=\"checkout\",outcome=\"timeout\"} 2"))
        #expect(!lines.contains { $0.contains("outcome=\"reset\"") })
        #expect(lines.contains("# TYPE tracegate_mirror_diff_total counter"))
        #expect(lines.contains("tracegate_mirror_diff_total{route=\"checkout\",kind=\"status_match\"} 4"))
        #expect(lines.contains("tracegate_mirror_diff_total{route=\"checkout\",kind=\"status_mismatch\"} 1"))
        #expect(lines.contains("# TYPE tracegate_mirror_in_flight gauge"))
        #expect(lines.contains("tracegate_mirror_in_flight{route=\"checkout\"} 1"))
        #expect(lines.contains("tracegate_mirror_in_flight{route=\"legacy\"} 0"))
    }

    @Test func openMetricsDeclaresCountersWithoutTheirSuffix() {
        let lines = Self.render(.openMetrics)
        #expect(lines.contains("# TYPE tracegate_mirror_requests counter"))
        #expect(lines.contains("# TYPE tracegate_mirror_diff counter"))
        #expect(lines.contains("tracegate_mirror_diff_total{route=\"checkout\",kind=\"status_mismatch\"} 1"))
        #expect(lines.last == "# EOF")
    }
}
