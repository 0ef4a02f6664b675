// AdminAndCLITests: the admin listener (/healthz, /readyz, /metrics, /debug/state,
// /debug/requests), quick mode, `tracegate check` and `tracegate version`.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct AdminAndCLI {
        /// The package root, found from this file (Tests/TracegateIntegrationTests/<file>).
        static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()

        @Test func healthAndReadiness() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let health = try #require(try Admin.get(h.proxy, "/healthz"))
            #expect(health.status == 200)
            #expect(health.json?["status"] as? String == "ok")
            let ready = try #require(try Admin.get(h.proxy, "/readyz"))
            #expect(ready.status == 200)
            #expect(ready.json?["status"] as? String == "ready")
            #expect(try Admin.get(h.proxy, "/nope")?.status == 404)
        }

        @Test func metricsAreValidPrometheusTextAndCount() throws {
            let h = try Harness.start()
            defer { h.stop() }
            for i in 0..<3 { #expect(try Wire.get(port: h.port, "/m/\(i)")?.status == 200) }
            let response = try #require(try Admin.get(h.proxy, "/metrics"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain") == true)
            _ = try PrometheusText.parse(response.bodyText)
            let metrics = try Admin.metrics(h.proxy) { ($0.value("tracegate_responses_total", "code=\"2xx\"") ?? 0) >= 3 }
            #expect(metrics.families["tracegate_requests_total"] == "counter")
            #expect((metrics.value("tracegate_requests_total") ?? 0) >= 3)
            #expect((metrics.value("tracegate_responses_total", "code=\"2xx\"") ?? 0) >= 3)
            #expect((metrics.value("tracegate_connections_accepted_total") ?? 0) >= 3)
            #expect((metrics.value("tracegate_upstream_connects_total") ?? 0) >= 1)
            #expect((metrics.value("tracegate_bytes_sent_total") ?? 0) > 0)
            for (name, type) in metrics.families where type == "counter" {
                #expect(name.hasSuffix("_total"), "counter \(name) should end in _total")
            }
        }

        @Test func debugStateListsListenersAndClusters() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let response = try #require(try Admin.get(h.proxy, "/debug/state"))
            #expect(response.status == 200)
            let state = try #require(response.json)
            let listeners = try #require(state["listeners"] as? [[String: Any]])
            var addresses = [String: String]()
            for listener in listeners {
                if let name = listener["name"] as? String { addresses[name] = listener["address"] as? String }
            }
            #expect(addresses == h.proxy.ready.listeners)
            let clusters = try #require(state["clusters"] as? [[String: Any]])
            #expect(clusters.count == 1)
            #expect(clusters.first?["name"] as? String == "backend")
            #expect(clusters.first?["endpoints"] as? [String] == [h.upstream.address])
            #expect(state["workers"] as? Int == 1)
            #expect(state["draining"] as? Bool == false)
        }

        @Test func debugRequestsFindsRequestsByIdStatusAndRoute() throws {
            let h = try Harness.start { request in request.path == "/fail" ? .text("boom", status: 503) : .text("fine") }
            defer { h.stop() }
            #expect(try Wire.get(port: h.port, "/ok", headers: ["X-Correlation-ID: find-me-1", "X-Session-ID: sess-1"])?.status == 200)
            #expect(try Wire.get(port: h.port, "/fail", headers: ["X-Correlation-ID: find-me-2"])?.status == 503)
            let traceID = try #require(Wire.traceparent(h.upstream.requests.first?.header("traceparent"))?.traceID)
            #expect(AccessLogs.entry(h.proxy, correlationID: "find-me-2") != nil)
            let byCorrelation = try Admin.requests(h.proxy, query: "correlation_id=find-me-1")
            #expect(byCorrelation.count == 1)
            #expect(byCorrelation.first?["path"] as? String == "/ok")
            #expect(byCorrelation.first?["trace_id"] as? String == traceID)
            #expect(try Admin.requests(h.proxy, query: "trace_id=\(traceID)").map { $0["correlation_id"] as? String } == ["find-me-1"])
            #expect(try Admin.requests(h.proxy, query: "session_id=sess-1").count == 1)
            let failed = try Admin.requests(h.proxy, query: "status=5xx")
            #expect(failed.map { $0["correlation_id"] as? String } == ["find-me-2"])
            #expect(try Admin.requests(h.proxy, query: "route=default").map { $0["correlation_id"] as? String } == ["find-me-2", "find-me-1"])
            #expect(try Admin.requests(h.proxy, query: "correlation_id=unknown").isEmpty)
        }

        @Test func quickModeProxiesToTheGivenUpstream() throws {
            let upstream = try UpstreamFixture.start()
            defer { upstream.stop() }
            let proxy = try ProxyProcess.start(config: "", arguments: [
                "proxy", "--listen", "127.0.0.1:0", "--to", "http://\(upstream.address)", "--admin", "127.0.0.1:0", "--workers", "1",
            ])
            defer { proxy.stop() }
            let port = try proxy.port("quick")
            let result = try Curl.get("http://127.0.0.1:\(port)/quick?mode=1")
            #expect(result.status == 200)
            #expect(result.json?["path"] as? String == "/quick?mode=1")
            #expect(upstream.requests.first?.header("Via") == "1.1 tracegate")
            #expect(result.header("X-Correlation-ID") != nil)
            #expect(try Admin.get(proxy, "/healthz")?.status == 200)
            #expect(proxy.stop() == 0)
        }

        @Test func checkAcceptsEveryDeployFile() throws {
            let deploy = Self.packageRoot.appendingPathComponent("deploy")
            let enumerator = try #require(FileManager.default.enumerator(atPath: deploy.path))
            // Kubernetes manifests and Prometheus rule files are not Tracegate configs: the config
            // the ConfigMap embeds is checked by Integration.DeployArtefacts, the rules by promtool
            // in Integration.DeployPrometheus.
            let files = enumerator.compactMap { $0 as? String }
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .filter { !$0.hasPrefix("kubernetes/") && !$0.hasPrefix("prometheus/") }
                .map { deploy.appendingPathComponent($0).path }
                .sorted()
            #expect(!files.isEmpty, "no YAML under \(deploy.path)")
            for file in files {
                let result = try ProxyProcess.runToCompletion(arguments: ["check", "--config", file])
                #expect(result.status == 0, "\(file): \(result.stdout)\(result.stderr)")
                #expect(result.stdout.contains("ok"), "\(file): \(result.stdout)")
            }
        }

        @Test func checkReportsEveryErrorWithItsKeyPath() throws {
            let directory = try TempDir(prefix: "check")
            let file = try directory.write("broken.yaml", """
                listeners:
                  - { address: "127.0.0.1:0" }
                routes:
                  - { match: { path_prefix: "/" }, cluster: paymnets }
                clusters:
                  - { name: payments, endpoints: ["127.0.0.1:9000"] }
                workers: lots
                """)
            let result = try ProxyProcess.runToCompletion(arguments: ["check", "--config", file])
            #expect(result.status == 1)
            let output = result.stdout + result.stderr
            #expect(output.contains("routes[0].cluster: unknown cluster \"paymnets\""), "\(output)")
            #expect(output.contains("workers: "), "every error is reported, not just the first: \(output)")
        }

        @Test func checkAcceptsAValidFile() throws {
            let directory = try TempDir(prefix: "check")
            let file = try directory.write("ok.yaml", Configs.standard(backend: "127.0.0.1:9000"))
            let result = try ProxyProcess.runToCompletion(arguments: ["check", "--config", file])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }

        @Test func versionPrintsAVersion() throws {
            let result = try ProxyProcess.runToCompletion(arguments: ["version"])
            #expect(result.status == 0)
            let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(text.range(of: #"^tracegate \d+\.\d+\.\d+"#, options: .regularExpression) != nil, "\(text)")
        }
    }
}
