// DeployPrometheusTests: deploy/prometheus (the rules pass `promtool check rules` and their own
// `promtool test rules` unit tests, every alert is complete) and deploy/grafana (the dashboard
// parses and links exemplars to the trace UI), and every metric either names is a family the real
// binary exposes — so a renamed metric breaks this suite, not an on-call engineer's dashboard.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct DeployPrometheus {
        /// The package root, found from this file (Tests/TracegateIntegrationTests/<file>).
        static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        static let rules = "deploy/prometheus/tracegate-rules.yaml"
        static let ruleTests = "deploy/prometheus/tracegate-rules.test.yaml"
        static let dashboard = "deploy/grafana/tracegate-dashboard.json"
        /// The alerts issue 8 asks for; each must exist, so deleting one fails here.
        static let alerts = ["TracegateRouteHigh5xxRatio", "TracegateCircuitBreakerOpen", "TracegateRetryBudgetExhausted",
                             "TracegateSpansDropped", "TracegateMirrorMismatchRate", "TracegateFaultInjectionActive"]

        static func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

        static func text(_ relative: String) throws -> String {
            try String(contentsOfFile: path(relative), encoding: .utf8)
        }

        @Test func rulesPassPromtoolCheck() throws {
            let result = try ExternalTool.run("promtool", ["check", "rules", Self.path(Self.rules)])
            #expect(result.status == 0, "promtool check rules: \(result.stdoutText)\(result.stderr)")
            #expect(result.stdoutText.contains("SUCCESS"), "\(result.stdoutText)")
        }

        @Test func rulesPassTheirUnitTests() throws {
            // promtool resolves `rule_files` against the test file's directory.
            let result = try ExternalTool.run("promtool", ["test", "rules", Self.path(Self.ruleTests)])
            #expect(result.status == 0, "promtool test rules: \(result.stdoutText)\(result.stderr)")
            #expect(result.stdoutText.contains("SUCCESS"), "\(result.stdoutText)")
            // Every alert is exercised by a unit test, firing at least once.
            let tests = try Self.text(Self.ruleTests)
            for alert in Self.alerts {
                #expect(tests.contains("alertname: \(alert)\n        exp_alerts:\n          - exp_labels:"),
                        "no unit test makes \(alert) fire")
            }
        }

        /// Each alert block (from `- alert:` to the next rule) has `for:`, a severity, a summary,
        /// a description and a runbook anchor in docs/runbook.md.
        @Test func everyAlertHasForSeverityAndRunbook() throws {
            let blocks = try Self.text(Self.rules).components(separatedBy: "- alert: ").dropFirst()
            let names = blocks.map { String($0.prefix { !$0.isNewline }) }
            #expect(names.sorted() == Self.alerts.sorted())
            for (name, block) in zip(names, blocks) {
                #expect(block.contains("\n        for: "), "\(name) has no for:")
                #expect(block.range(of: #"severity: (critical|warning|info)\n"#, options: .regularExpression) != nil,
                        "\(name) has no severity")
                #expect(block.contains("summary: ") && block.contains("description: "), "\(name) lacks summary or description")
                let anchor = block.range(of: #"runbook: docs/runbook\.md#[a-z0-9-]+\n"#, options: .regularExpression)
                #expect(anchor != nil, "\(name) names no runbook anchor")
                if let anchor {
                    let runbook = block[anchor].dropFirst("runbook: ".count).dropLast()
                    #expect(block.contains("Runbook: \(runbook)"), "\(name)'s description does not name \(runbook)")
                }
            }
        }

        @Test func dashboardLinksExemplarsToTheTraceUI() throws {
            let data = try #require(FileManager.default.contents(atPath: Self.path(Self.dashboard)))
            let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((dashboard["schemaVersion"] as? Int ?? 0) >= 39)
            let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            let traceURL = try #require(variables.first { $0["name"] as? String == "trace_url" }, "no trace_url variable")
            #expect((traceURL["query"] as? String)?.hasPrefix("http") == true)
            let panels = (dashboard["panels"] as? [[String: Any]] ?? []).filter { $0["type"] as? String != "row" }
            #expect(panels.count >= 8)
            let latency = panels.filter { Self.fieldDefaults($0)?["unit"] as? String == "s" }
            #expect(latency.count == 2, "a route and a cluster latency panel")
            for panel in latency {
                let targets = panel["targets"] as? [[String: Any]] ?? []
                #expect(!targets.isEmpty && targets.allSatisfy { $0["exemplar"] as? Bool == true }, "\(panel["title"] ?? "")")
                let links = Self.fieldDefaults(panel)?["links"] as? [[String: Any]] ?? []
                #expect(links.contains { ($0["url"] as? String)?.hasPrefix("${trace_url}/${__data.fields.trace_id}") == true },
                        "\(panel["title"] ?? "") has no trace link: \(links)")
            }
            // Unique panel ids, or Grafana renumbers them and links to a panel break.
            let ids = (dashboard["panels"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            #expect(Set(ids).count == ids.count)
        }

        /// A panel's `fieldConfig.defaults` (unit, links).
        static func fieldDefaults(_ panel: [String: Any]) -> [String: Any]? {
            (panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any]
        }

        /// Starts the binary with a route, a breaker and a mirror, sends traffic, and checks that
        /// every metric the rules and the dashboard query is declared in its `/metrics`.
        @Test func everyMetricNamedIsExposedByTheBinary() throws {
            let primary = try UpstreamFixture.start { _ in .text("primary") }
            defer { primary.stop() }
            let shadow = try UpstreamFixture.start { _ in .text("shadow") }
            defer { shadow.stop() }
            let proxy = try ProxyProcess.start(config: """
                workers: 1
                admin: { address: "127.0.0.1:0" }
                listeners:
                  - { name: public, address: "127.0.0.1:0" }
                routes:
                  - { name: api, match: { path_prefix: "/" }, cluster: primary, mirror: { cluster: shadow, compare: body } }
                clusters:
                  - name: primary
                    endpoints: ["\(primary.address)"]
                    circuit_breakers: { failure_rate: { window_size: 10, minimum_calls: 10, open_duration: 1s } }
                  - { name: shadow, endpoints: ["\(shadow.address)"] }
                """)
            defer { proxy.stop() }
            let port = try proxy.port("public")
            for i in 0..<2 {
                let response = try Wire.get(port: port, "/deploy/\(i)",
                                            headers: ["traceparent: 00-4bf92f3577b34da6a3ce929d0e0e473\(i)-00f067aa0ba902b7-01"])
                #expect(response?.status == 200)
            }
            let metrics = try Admin.metrics(proxy) { $0.sum("tracegate_mirror_diff_total") >= 2 }
            #expect(metrics.sum("tracegate_mirror_diff_total") >= 2, "the mirror compared nothing")
            let families = metrics.families

            let ruleNames = Self.metricNames(in: try Self.text(Self.rules))
            let dashboardNames = Self.metricNames(in: try Self.dashboardQueries().joined(separator: "\n"))
            // Guards against a broken extractor passing vacuously.
            #expect(ruleNames.isSuperset(of: ["tracegate_route_requests_total", "tracegate_circuit_breaker_state",
                                              "tracegate_mirror_diff_total", "tracegate_spans_dropped_total"]), "\(ruleNames)")
            #expect(dashboardNames.isSuperset(of: ["tracegate_route_request_duration_seconds_bucket",
                                                   "tracegate_retry_budget_available"]), "\(dashboardNames)")
            for name in ruleNames.union(dashboardNames).sorted() {
                let source = ruleNames.contains(name) ? Self.rules : Self.dashboard
                #expect(Self.family(of: name, in: families) != nil, "\(name) (in \(source)) is not a family of /metrics")
            }
        }

        /// The family a sample name belongs to: itself, or a histogram's `_bucket`/`_sum`/`_count`.
        static func family(of name: String, in families: [String: String]) -> String? {
            if families[name] != nil { return name }
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if families[base] == "histogram" { return base }
            }
            return nil
        }

        /// Metric names in PromQL-bearing text: identifiers starting `tracegate_`. Recording-rule
        /// names (`route:tracegate_…:rate5m`) contain colons and are left out; comment lines too.
        static func metricNames(in text: String) -> Set<String> {
            var names = Set<String>()
            let code = text.split(separator: "\n").filter { !$0.drop { $0 == " " }.hasPrefix("#") }.joined(separator: "\n")
            var token = ""
            func flush() {
                if token.hasPrefix("tracegate_") && !token.contains(":") { names.insert(token) }
                token = ""
            }
            for character in code {
                if character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ":") {
                    token.append(character)
                } else {
                    flush()
                }
            }
            flush()
            return names
        }

        /// Every query string of the dashboard: panel target `expr`s and variable queries.
        static func dashboardQueries() throws -> [String] {
            let data = try #require(FileManager.default.contents(atPath: path(dashboard)))
            var found: [String] = []
            func walk(_ value: Any) {
                if let object = value as? [String: Any] {
                    for (key, child) in object {
                        if ["expr", "query", "definition"].contains(key), let text = child as? String { found.append(text) }
                        walk(child)
                    }
                } else if let array = value as? [Any] {
                    array.forEach(walk)
                }
            }
            walk(try JSONSerialization.jsonObject(with: data))
            #expect(found.count >= 10, "the dashboard has too few queries: \(found)")
            return found
        }
    }
}
