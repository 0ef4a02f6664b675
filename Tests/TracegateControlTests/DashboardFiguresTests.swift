// DashboardFiguresTests: the live dashboard's pure parts — rates from differenced reports,
// quantiles from bucket deltas, SSE framing, the request index cursor, the embedded assets.
import Foundation
import Testing
@testable import TracegateControl
@testable import TracegateDataPlane

@Suite struct DashboardFiguresTests {
    static let topology = DashboardFigures.Topology(
        routes: [(name: "checkout", cluster: "shop")], clusters: [(name: "shop", endpoints: ["10.0.0.5:9000"])],
        traceURLTemplate: "http://jaeger:16686/trace/{trace_id}")

    /// Cumulative figures: `ok` 2xx and `failed` 5xx requests of route checkout, each 2xx in
    /// bucket 2 (2.5-5 ms) and each 5xx in bucket 6 (50-100 ms); the cluster and endpoint saw the
    /// same as attempts, the 5xx answered 503.
    static func report(ok: UInt64, failed: UInt64, retries: UInt64 = 0) -> MetricsReport {
        var r = MetricsReport()
        var route = MetricsReport.Route(name: "checkout")
        route.requests[0][1] = ok
        route.requests[0][4] = failed
        route.duration.buckets[2] = ok
        route.duration.buckets[6] = failed
        r.routes = [route]
        var upstream = MetricsReport.Upstream()
        upstream.attempts[0] = ok + failed
        upstream.status5xx = failed
        upstream.duration = route.duration
        var guards = ClusterGuardFigures()
        guards.retries[0] = retries
        guards.budgetAvailable = 7
        r.clusters = [.init(name: "shop", upstream: upstream, guards: guards)]
        var endpointGuards = EndpointGuardFigures()
        endpointGuards.breakerStates = [1, 1, 0]
        endpointGuards.ejected = 1
        r.endpoints = [.init(cluster: "shop", endpoint: "10.0.0.5:9000", upstream: upstream, pool: PoolFigures(open: 2, idle: 1, active: 1),
                             guards: endpointGuards)]
        return r
    }

    static func render(_ previous: MetricsReport?, _ current: MetricsReport, seconds: Double) throws -> [String: Any] {
        let text = DashboardFigures.render(previous: previous, current: current, seconds: seconds, topology: topology, wallMillis: 1_000)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func ratesComeFromTheDifferenceOfTwoSamples() throws {
        let f = try Self.render(Self.report(ok: 100, failed: 10, retries: 5), Self.report(ok: 118, failed: 12, retries: 9), seconds: 2)
        let route = try #require((f["routes"] as? [[String: Any]])?.first)
        #expect(route["requests_total"] as? Int == 130)
        #expect(route["rate_per_s"] as? Double == 10)
        #expect(route["errors_per_s"] as? Double == 1)
        #expect(route["error_ratio"] as? Double == 0.1)
        // 20 new observations: 18 in 2.5-5 ms, 2 in 50-100 ms. p50 = rank 10 of 18 in the first.
        #expect(route["p50_ms"] as? Double == 3.889)
        #expect(route["p99_ms"] as? Double == 95)
        let cluster = try #require((f["clusters"] as? [[String: Any]])?.first)
        #expect(cluster["rate_per_s"] as? Double == 10)
        #expect(cluster["errors_per_s"] as? Double == 1)
        #expect(cluster["retries_per_s"] as? Double == 2)
        #expect(cluster["retry_budget_available"] as? Int == 7)
        let endpoint = try #require((cluster["endpoints"] as? [[String: Any]])?.first)
        #expect(endpoint["breaker"] as? String == "open")
        #expect(endpoint["ejected_workers"] as? Int == 1)
        #expect(endpoint["in_flight"] as? Int == 1)
        #expect(f["trace_url_template"] as? String == "http://jaeger:16686/trace/{trace_id}")
    }

    @Test func theFirstSampleAndAQuietIntervalHaveZeroRatesAndNoQuantiles() throws {
        let first = try Self.render(nil, Self.report(ok: 5, failed: 1), seconds: 1)
        let route = try #require((first["routes"] as? [[String: Any]])?.first)
        #expect(route["rate_per_s"] as? Double == 0)
        #expect(route["error_ratio"] is NSNull)
        #expect(route["p99_ms"] is NSNull)
        let quiet = try Self.render(Self.report(ok: 5, failed: 1), Self.report(ok: 5, failed: 1), seconds: 1)
        #expect((quiet["routes"] as? [[String: Any]])?.first?["rate_per_s"] as? Double == 0)
    }

    @Test func countersThatGoBackwardsCountAsZero() {
        #expect(DashboardFigures.delta(3, 10) == 0)
        #expect(DashboardFigures.delta(10, 3) == 7)
        #expect(DashboardFigures.delta(10, nil) == 0)
        #expect(DashboardFigures.bucketDelta([1, 5], [2, 1]) == [0, 4])
    }

    @Test func quantilesInterpolateInsideTheirBucket() throws {
        var buckets = Array(repeating: UInt64(0), count: DurationBuckets.count)
        #expect(DashboardFigures.quantile(buckets, 0.5) == nil)
        buckets[0] = 4  // 0-1 ms
        #expect(DashboardFigures.quantile(buckets, 0.5) == 0.0005)
        buckets[13] = 4  // +Inf: reads as the largest finite bound
        #expect(DashboardFigures.quantile(buckets, 0.99) == 10)
    }

    @Test func eventsAreFramedAsServerSentEvents() {
        #expect(DashboardStream.event("figures", id: nil, data: "{\"a\":1}") == "event: figures\ndata: {\"a\":1}\n\n")
        #expect(DashboardStream.event("requests", id: 42, data: "x\ny") == "event: requests\nid: 42\ndata: x\ndata: y\n\n")
    }

    @Test func theIndexCursorHandsOutEachRecordOnceAndSkipsOverwrittenOnes() {
        let index = RequestIndex(capacity: 4)
        func add(_ n: Int) {
            index.withBatch { add in for i in 0..<n { var r = RequestRecord(); r.status = 200 + i; add(r) } }
        }
        #expect(index.since(0, limit: 10).isEmpty)
        add(3)
        #expect(index.lastSequence == 3)
        #expect(index.since(0, limit: 10).map(\.sequence) == [1, 2, 3])
        #expect(index.since(2, limit: 10).map(\.sequence) == [3])
        #expect(index.since(3, limit: 10).isEmpty)
        add(3)  // 6 added, capacity 4: 1 and 2 are gone
        #expect(index.since(0, limit: 10).map(\.sequence) == [3, 4, 5, 6])
        #expect(index.since(0, limit: 10).map(\.record.status) == [202, 200, 201, 202])
        #expect(index.since(1, limit: 2).map(\.sequence) == [5, 6], "the newest when limited")
    }

    @Test func requestsAreWrappedWithTheirSequenceAndCarryTheTimeline() throws {
        var r = RequestRecord()
        r.status = 502
        r.routeIndex = -1
        r.connectionAgeNanos = 1_500_000
        r.mirrorOutcome = RequestRecord.mirrorOutcome(.droppedInFlight)
        let text = DashboardStream.requestsJSON([(7, r)], routes: nil, clusters: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entry = try #require((object["requests"] as? [[String: Any]])?.first)
        #expect(entry["seq"] as? Int == 7)
        let request = try #require(entry["request"] as? [String: Any])
        #expect(request["status"] as? Int == 502)
        let timeline = try #require(request["timeline"] as? [String: Any])
        #expect(timeline["connection_age_ms"] as? Double == 1.5)
        #expect(timeline["mirror"] as? String == "dropped_in_flight")
        #expect(timeline["route_chosen_ms"] == nil, "no route, no route point")
    }

    @Test func assetsAreServedWithNoStoreAndTheStrictPolicy() throws {
        for path in ["/", "/dashboard.js", "/dashboard.css"] {
            let response = try #require(DashboardPage.response(for: path))
            #expect(response.status == 200)
            #expect(response.headers.contains { $0 == ("Cache-Control", "no-store") })
            #expect(response.headers.contains { $0.0 == "Content-Security-Policy" && !$0.1.contains("unsafe") })
        }
        #expect(DashboardPage.response(for: "/nope") == nil)
        // Request data reaches the DOM only as text.
        let script = DashboardPage.script + DashboardPage.scriptViews
        #expect(!script.contains("innerHTML") && !script.contains("eval("))
    }
}
