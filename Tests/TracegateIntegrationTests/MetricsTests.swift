// MetricsTests: per-route and per-upstream metrics on /metrics (both dialects, checked by
// promtool and by prometheus_client's OpenMetrics parser), exemplars, pool gauges, /debug/state.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct Metrics {
        /// The package root, found from this file (Tests/TracegateIntegrationTests/<file>).
        static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()

        /// Route `shop` (`/shop/`) → cluster `shop`: an endpoint answering 200 and one answering
        /// 503, round robin (one worker, so requests alternate, the 200 one first). Route `refused`
        /// (`/refused/`) → a cluster whose endpoint refuses connections. Route `slow` (`/slow/`,
        /// 1 s timeout) → an endpoint that never answers. `extraRoutes` go first (reload tests).
        static func config(ok: String, failing: String, refusedPort: Int, slow: String, extraRoutes: String = "") -> String {
            """
            workers: 1
            admin: { address: "127.0.0.1:0" }
            listeners:
              - { name: public, address: "127.0.0.1:0" }
            routes:
            \(extraRoutes)
              - { name: shop, match: { path_prefix: "/shop/" }, cluster: shop }
              - { name: refused, match: { path_prefix: "/refused/" }, cluster: refused }
              - { name: slow, match: { path_prefix: "/slow/" }, cluster: slow, timeout: 1s }
            clusters:
              - { name: shop, endpoints: ["\(ok)", "\(failing)"] }
              - { name: refused, endpoints: ["127.0.0.1:\(refusedPort)"] }
              - { name: slow, endpoints: ["\(slow)"] }
            """
        }

        /// Three fixtures and a proxy in front of them. Always `defer { setup.stop() }`.
        final class Setup {
            let ok: UpstreamFixture
            let failing: UpstreamFixture
            let slow: UpstreamFixture
            let refusedPort: Int
            let proxy: ProxyProcess

            init() throws {
                ok = try UpstreamFixture.start { _ in .text("fine") }
                failing = try UpstreamFixture.start { _ in .text("unavailable", status: 503) }
                slow = try UpstreamFixture.start { _ in .hang }
                refusedPort = try UpstreamFixture.refusingPort()
                do {
                    proxy = try ProxyProcess.start(config: Metrics.config(
                        ok: ok.address, failing: failing.address, refusedPort: refusedPort, slow: slow.address))
                } catch {
                    [ok, failing, slow].forEach { $0.stop() }
                    throw error
                }
            }

            func config(extraRoutes: String = "") -> String {
                Metrics.config(ok: ok.address, failing: failing.address, refusedPort: refusedPort, slow: slow.address,
                               extraRoutes: extraRoutes)
            }

            var port: Int { (try? proxy.port("public")) ?? 0 }

            func stop() {
                proxy.stop()
                [ok, failing, slow].forEach { $0.stop() }
            }

            /// Sends `method path` on a fresh connection (POST with a 3-byte body) and returns the status.
            func send(_ method: String, _ path: String, headers: [String] = []) throws -> Int? {
                let body = method == "POST" ? "abc" : ""
                let lines = ["\(method) \(path) HTTP/1.1", "Host: shop.test"] + headers
                    + (body.isEmpty ? [] : ["Content-Length: \(body.utf8.count)"])
                return try Wire.exchange(port: port, lines.joined(separator: "\r\n") + "\r\n\r\n" + body)?.status
            }
        }

        /// `/metrics` with an `Accept` header: content type and body.
        static func scrape(_ proxy: ProxyProcess, accept: String) throws -> (contentType: String?, body: String) {
            let port = try #require(proxy.adminPort)
            let response = try #require(try Wire.exchange(
                port: port, "GET /metrics HTTP/1.1\r\nHost: admin\r\nAccept: \(accept)\r\nConnection: close\r\n\r\n"))
            #expect(response.status == 200)
            return (response.header("Content-Type"), response.bodyText)
        }

        static func labels(_ pairs: KeyValuePairs<String, String>) -> String {
            pairs.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
        }

        @Test func routeAndUpstreamCountsAreExactAndPromtoolFindsNothing() throws {
            let s = try Setup()
            defer { s.stop() }
            var statuses: [Int?] = []
            for method in ["GET", "GET", "GET", "GET", "POST", "POST"] { statuses.append(try s.send(method, "/shop/item")) }
            #expect(statuses == [200, 503, 200, 503, 200, 503], "round robin over the two shop endpoints")
            for _ in 0..<3 { #expect(try s.send("GET", "/refused/x") == 502) }
            #expect(try s.send("GET", "/nowhere") == 404)

            let shop = "route=\"shop\""
            let metrics = try Admin.metrics(s.proxy) {
                $0.value("tracegate_route_request_duration_seconds_count", shop) == 6
                    && $0.value("tracegate_route_request_duration_seconds_count", "route=\"refused\"") == 3
            }
            // Per route, method and status class: exact, and nothing else (the 404 matched no route).
            #expect(metrics.value("tracegate_route_requests_total", Self.labels(["route": "shop", "method": "GET", "code": "2xx"])) == 2)
            #expect(metrics.value("tracegate_route_requests_total", Self.labels(["route": "shop", "method": "GET", "code": "5xx"])) == 2)
            #expect(metrics.value("tracegate_route_requests_total", Self.labels(["route": "shop", "method": "POST", "code": "2xx"])) == 1)
            #expect(metrics.value("tracegate_route_requests_total", Self.labels(["route": "shop", "method": "POST", "code": "5xx"])) == 1)
            #expect(metrics.value("tracegate_route_requests_total", Self.labels(["route": "refused", "method": "GET", "code": "5xx"])) == 3)
            #expect(metrics.sum("tracegate_route_requests_total") == 9)
            // Histogram counts equal the requests, and +Inf equals the count.
            #expect(metrics.value("tracegate_route_request_duration_seconds_bucket", shop + ",le=\"+Inf\"") == 6)
            #expect(metrics.value("tracegate_route_request_duration_seconds_count", "route=\"slow\"") == 0)
            #expect((metrics.value("tracegate_route_request_duration_seconds_sum", shop) ?? 0) > 0)

            // Per cluster.
            #expect(metrics.value("tracegate_upstream_attempts_total", Self.labels(["cluster": "shop", "outcome": "response"])) == 6)
            #expect(metrics.value("tracegate_upstream_errors_total", Self.labels(["cluster": "shop", "kind": "status_5xx"])) == 3)
            // A route without `retry:` tries a connect failure once more: 3 requests, 6 attempts.
            #expect(metrics.value("tracegate_upstream_attempts_total", Self.labels(["cluster": "refused", "outcome": "connect_failed"])) == 6)
            #expect(metrics.value("tracegate_upstream_errors_total", Self.labels(["cluster": "refused", "kind": "connect_failed"])) == 6)
            #expect(metrics.sum("tracegate_upstream_attempts_total") == 12)
            #expect(metrics.sum("tracegate_upstream_errors_total") == 9)
            #expect(metrics.value("tracegate_retries_total", Self.labels(["cluster": "refused", "cause": "connect_failure"])) == 3)
            #expect(metrics.value("tracegate_retries_given_up_total", Self.labels(["cluster": "refused", "reason": "attempts_exhausted"])) == 3)
            #expect(metrics.sum("tracegate_retries_total") == 3, "5xx answers are not retried without a retry: block")
            #expect(metrics.sum("tracegate_upstream_timeouts_total") == 0)
            #expect(metrics.value("tracegate_upstream_attempt_duration_seconds_count", "cluster=\"shop\"") == 6)
            #expect(metrics.value("tracegate_upstream_attempt_duration_seconds_count", "cluster=\"refused\"") == 6)

            // Per endpoint.
            let ok = Self.labels(["cluster": "shop", "endpoint": s.ok.address])
            let failing = Self.labels(["cluster": "shop", "endpoint": s.failing.address])
            let refused = Self.labels(["cluster": "refused", "endpoint": "127.0.0.1:\(s.refusedPort)"])
            #expect(metrics.value("tracegate_upstream_endpoint_attempts_total", ok + ",outcome=\"response\"") == 3)
            #expect(metrics.value("tracegate_upstream_endpoint_attempts_total", failing + ",outcome=\"response\"") == 3)
            #expect(metrics.value("tracegate_upstream_endpoint_errors_total", failing + ",kind=\"status_5xx\"") == 3)
            #expect(metrics.value("tracegate_upstream_endpoint_errors_total", ok + ",kind=\"status_5xx\"") == nil)
            #expect(metrics.value("tracegate_upstream_endpoint_attempts_total", refused + ",outcome=\"connect_failed\"") == 6)
            #expect(metrics.value("tracegate_upstream_endpoint_attempt_duration_seconds_count", ok) == 3)
            #expect(metrics.value("tracegate_upstream_endpoint_attempt_duration_seconds_count", failing) == 3)
            #expect(metrics.value("tracegate_upstream_endpoint_attempt_duration_seconds_count", refused) == 6)
            #expect(metrics.families["tracegate_upstream_endpoint_attempt_duration_seconds"] == "histogram")

            // The fixtures keep their connections: one idle pooled connection each, none active.
            let pools = try Admin.metrics(s.proxy) {
                $0.value("tracegate_upstream_connections", ok + ",state=\"idle\"") == 1
                    && $0.value("tracegate_upstream_connections", failing + ",state=\"idle\"") == 1
            }
            #expect(pools.value("tracegate_upstream_connections", ok + ",state=\"idle\"") == 1)
            #expect(pools.value("tracegate_upstream_connections", ok + ",state=\"active\"") == 0)
            #expect(pools.value("tracegate_upstream_connections", refused + ",state=\"idle\"") == 0)
            #expect(pools.value("tracegate_spans_dropped_total", "reason=\"queue_full\"") == 0)

            // The plain text passes promtool's parser and linter without a single remark.
            let (contentType, plain) = try Self.scrape(s.proxy, accept: "text/plain")
            #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
            _ = try PrometheusText.parse(plain)
            let promtool = try ExternalTool.run("promtool", ["check", "metrics"], stdin: Data(plain.utf8))
            #expect(promtool.status == 0)
            #expect(promtool.stdoutText.isEmpty && promtool.stderr.isEmpty, "promtool: \(promtool.stdoutText)\(promtool.stderr)")
        }

        @Test func openMetricsExemplarsCarryTheTraceTheUpstreamReceived() throws {
            let s = try Setup()
            defer { s.stop() }
            let first = "4bf92f3577b34da6a3ce929d0e0e4736"
            let second = "0af7651916cd43dd8448eb211c80319c"
            #expect(try s.send("GET", "/shop/a", headers: ["traceparent: 00-\(first)-00f067aa0ba902b7-01"]) == 200)
            #expect(try s.send("GET", "/shop/b", headers: ["traceparent: 00-\(second)-b7ad6b7169203331-01"]) == 503)
            let okSeen = try #require(Wire.traceparent(s.ok.requests.first?.header("traceparent")))
            let failingSeen = try #require(Wire.traceparent(s.failing.requests.first?.header("traceparent")))
            #expect(okSeen.traceID == first && failingSeen.traceID == second, "the trace is continued from loopback")
            _ = try Admin.metrics(s.proxy) { $0.value("tracegate_route_request_duration_seconds_count", "route=\"shop\"") == 2 }

            let (contentType, text) = try Self.scrape(s.proxy, accept: "application/openmetrics-text; version=1.0.0")
            #expect(contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(text.hasSuffix("# EOF\n"))
            let script = Self.packageRoot.appendingPathComponent("Tests/Fixtures/openmetrics_exemplars.py").path
            let parsed = try ExternalTool.run("python3", [script], stdin: Data(text.utf8))
            #expect(parsed.status == 0, "prometheus_client rejected the exposition: \(parsed.stderr)")
            let output = try #require(Wire.json(parsed.stdout), "script output: \(parsed.stdoutText)")
            let exemplars = try #require(output["exemplars"] as? [[String: Any]])
            func on(_ family: String, _ match: [String: String]) -> [[String: Any]] {
                exemplars.filter { e in
                    e["family"] as? String == family && match.allSatisfy { (e["labels"] as? [String: String])?[$0.key] == $0.value }
                }
            }

            // Each endpoint's attempt histogram: the one trace it served, with the CLIENT span id the
            // upstream received as its parent-id.
            let okExemplars = on("tracegate_upstream_endpoint_attempt_duration_seconds", ["endpoint": s.ok.address])
            #expect(okExemplars.map { $0["trace_id"] as? String } == [first])
            #expect(okExemplars.first?["span_id"] as? String == okSeen.parentID)
            let failingExemplars = on("tracegate_upstream_endpoint_attempt_duration_seconds", ["endpoint": s.failing.address])
            #expect(failingExemplars.map { $0["trace_id"] as? String } == [second])
            #expect(failingExemplars.first?["span_id"] as? String == failingSeen.parentID)
            #expect((failingExemplars.first?["value"] as? Double ?? 0) > 0)

            // The route histogram: the traces of both requests (or only the later one when both fell
            // in one bucket), with the SERVER span id the access log names.
            let routeExemplars = on("tracegate_route_request_duration_seconds", ["route": "shop"])
            let routeTraces = Set(routeExemplars.compactMap { $0["trace_id"] as? String })
            #expect(routeTraces.contains(second) && routeTraces.isSubset(of: [first, second]), "\(routeTraces)")
            let logged = try #require(AccessLogs.entry(s.proxy) { $0["trace_id"] as? String == second })
            #expect(routeExemplars.first { $0["trace_id"] as? String == second }?["span_id"] as? String == logged["span_id"] as? String)
            let clusterTraces = Set(on("tracegate_upstream_attempt_duration_seconds", ["cluster": "shop"]).compactMap { $0["trace_id"] as? String })
            #expect(clusterTraces.contains(second) && clusterTraces.isSubset(of: [first, second]), "\(clusterTraces)")

            // Prometheus text never carries exemplars.
            let (_, plain) = try Self.scrape(s.proxy, accept: "*/*")
            #expect(!plain.contains(" # {") && !plain.contains("# EOF"))
        }

        @Test func anExchangeInFlightShowsInTheGaugesAndDebugStateUntilItTimesOut() throws {
            let s = try Setup()
            defer { s.stop() }
            let client = try RawHTTPClient.connect(port: s.port)
            defer { client.close() }
            #expect(client.send("GET /slow/wait HTTP/1.1\r\nHost: shop.test\r\n\r\n"))
            let slow = Self.labels(["cluster": "slow", "endpoint": s.slow.address])
            let during = try Admin.metrics(s.proxy) { $0.value("tracegate_upstream_connections", slow + ",state=\"active\"") == 1 }
            #expect(during.value("tracegate_upstream_connections", slow + ",state=\"active\"") == 1)
            let state = try #require(try Admin.get(s.proxy, "/debug/state")?.json)
            #expect(state["exchanges_in_flight"] as? Int == 1)
            let cluster = (state["clusters"] as? [[String: Any]])?.first { $0["name"] as? String == "slow" }
            let pool = (cluster?["pools"] as? [[String: Any]])?.first
            #expect(pool?["endpoint"] as? String == s.slow.address)
            #expect(pool?["in_flight"] as? Int == 1 && pool?["open"] as? Int == 1 && pool?["idle"] as? Int == 0)

            #expect(client.readResponse()?.status == 504)
            // Both figures change in one worker step, but a scrape may fall between them: wait for both.
            let after = try Admin.metrics(s.proxy) {
                $0.value("tracegate_upstream_connections", slow + ",state=\"active\"") == 0
                    && $0.value("tracegate_route_requests_total", Self.labels(["route": "slow", "method": "GET", "code": "5xx"])) == 1
            }
            #expect(after.value("tracegate_upstream_connections", slow + ",state=\"active\"") == 0)
            #expect(after.value("tracegate_upstream_timeouts_total", "cluster=\"slow\",kind=\"response\"") == 1)
            #expect(after.value("tracegate_upstream_errors_total", "cluster=\"slow\",kind=\"timeout\"") == 1)
            #expect(after.value("tracegate_upstream_endpoint_timeouts_total", slow + ",kind=\"response\"") == 1)
            #expect(after.value("tracegate_route_requests_total", Self.labels(["route": "slow", "method": "GET", "code": "5xx"])) == 1)
        }

        @Test func debugStateShowsPoolsAndTotalsPerRouteAndCluster() throws {
            let s = try Setup()
            defer { s.stop() }
            for _ in 0..<4 { _ = try s.send("GET", "/shop/x") }
            _ = try s.send("GET", "/refused/x")
            _ = try Admin.metrics(s.proxy) { $0.value("tracegate_route_request_duration_seconds_count", "route=\"refused\"") == 1 }
            let state = try #require(try Admin.get(s.proxy, "/debug/state")?.json)
            let routes = try #require(state["routes"] as? [[String: Any]])
            #expect(routes.map { $0["name"] as? String } == ["shop", "refused", "slow"])
            #expect(routes.map { $0["requests_total"] as? Int } == [4, 1, 0])
            let clusters = try #require(state["clusters"] as? [[String: Any]])
            let shop = try #require(clusters.first { $0["name"] as? String == "shop" })
            #expect(shop["attempts_total"] as? Int == 4)
            #expect(shop["errors_total"] as? Int == 2)
            #expect(shop["endpoints"] as? [String] == [s.ok.address, s.failing.address])
            let pools = try #require(shop["pools"] as? [[String: Any]])
            #expect(pools.map { $0["endpoint"] as? String } == [s.ok.address, s.failing.address])
            for pool in pools {
                #expect(pool["open"] as? Int == 1 && pool["idle"] as? Int == 1 && pool["in_flight"] as? Int == 0, "\(pool)")
            }
            let refused = try #require(clusters.first { $0["name"] as? String == "refused" })
            // Two attempts: a route without `retry:` tries a connect failure once more.
            #expect(refused["attempts_total"] as? Int == 2 && refused["errors_total"] as? Int == 2)
            #expect(state["exchanges_in_flight"] as? Int == 0)
            #expect((state["config"] as? [String: Any])?["version"] as? Int == 1)
        }

        @Test func aReloadKeepsEveryRoutesCountsUnderItsOwnName() throws {
            let s = try Setup()
            defer { s.stop() }
            for _ in 0..<2 { #expect(try s.send("GET", "/shop/x") != nil) }
            #expect(try s.send("GET", "/refused/x") == 502)
            // A new route first: every old route moves down one position in the snapshot.
            let reloaded = try s.proxy.reload(config: s.config(extraRoutes: """
                  - { name: extra, match: { path_prefix: "/extra/" }, cluster: shop }
                """))
            #expect(reloaded?.contains("\"reloaded\"") == true, "reload verdict: \(reloaded ?? "none")")
            #expect(try s.send("GET", "/shop/x") != nil)
            #expect(try s.send("GET", "/extra/x") != nil)
            let metrics = try Admin.metrics(s.proxy) { $0.value("tracegate_route_request_duration_seconds_count", "route=\"extra\"") == 1 }
            #expect(metrics.value("tracegate_route_request_duration_seconds_count", "route=\"shop\"") == 3)
            #expect(metrics.value("tracegate_route_request_duration_seconds_count", "route=\"refused\"") == 1)
            #expect(metrics.value("tracegate_route_request_duration_seconds_count", "route=\"extra\"") == 1)
            #expect(metrics.value("tracegate_upstream_attempts_total", "cluster=\"shop\",outcome=\"response\"") == 4)
        }
    }
}
