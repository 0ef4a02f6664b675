// CascadeScenarioTests: a cascading failure reproduced end to end — a dependency turns slow while
// 32 clients keep calling through Tracegate with short per-try timeouts and retries — and the
// evidence that Tracegate holds upstream load within the retry budget, fails fast instead of
// piling up, and recovers by itself when the dependency heals. Its report is the raw material of
// docs/debugging-cascading-failure.md.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct CascadeScenario {
        static let clients = 32
        static let ratio = 0.2
        static let floor = 5
        static let ttlSeconds = 10
        static let overallTimeout = Duration.seconds(1)

        /// Two endpoints of one dependency; a route retrying per-try timeouts (100 ms) and 503s up
        /// to 3 attempts within 1 s; a budget of 20% + 5/s; a breaker per endpoint over 20 calls;
        /// outlier ejection on 5 gateway failures in a row. Only requests that arrive with a
        /// sampled `traceparent` are exported (the scenario's traced probes), so the receiver is
        /// not the bottleneck.
        ///
        /// The probes have their own route to the same cluster with a 50 ms per-try timeout: the
        /// first probe's first attempt times out and is retried before the crowd's 100 ms
        /// timeouts open the breakers, so there is a retried request to show as a trace.
        static func config(_ endpoints: [String], receiver: String) -> String {
            ResilienceYAML.config(
                endpoints: endpoints,
                retry: "{max_attempts: 3, retry_on: [per-try-timeout, 503], per_try_timeout: 100ms, timeout: 1s, "
                    + "backoff: {base: 10ms, max: 50ms}}",
                cluster: [
                    "retry_budget: {retry_ratio: \(ratio), min_retries_per_second: \(floor), ttl: \(ttlSeconds)s}",
                    "circuit_breakers:",
                    "  max_retries: 100",
                    "  failure_rate: {window_size: 20, minimum_calls: 10, failure_rate_threshold: 0.5, "
                        + "slow_call_rate_threshold: 1.0, slow_call_duration: 5s, open_duration: 1s, probe_requests: 2}",
                    "outlier_detection: {consecutive_5xx: 5, consecutive_gateway_failures: 5, base_ejection_time: 1s, "
                        + "max_ejection_time: 3s, max_ejection_percent: 50, decay_interval: 10s}",
                ],
                routes: [
                    "{ name: probe, match: { path_prefix: \"/probe/\" }, cluster: api, timeout: 5s, retry: {max_attempts: 3, "
                        + "retry_on: [per-try-timeout, 503], per_try_timeout: 50ms, timeout: 1s, backoff: {base: 10ms, max: 50ms}} }",
                ],
                extra: ResilienceYAML.telemetry(receiver, samplingRatio: 0, alwaysExportErrors: false))
        }

        static let families = [
            "tracegate_retries_total", "tracegate_retries_given_up_total", "tracegate_retry_budget_available",
            "tracegate_retries_active", "tracegate_overloaded_total", "tracegate_circuit_open_rejections_total",
            "tracegate_circuit_breaker_state", "tracegate_circuit_breaker_transitions_total", "tracegate_outlier_ejected",
            "tracegate_outlier_ejections_total", "tracegate_outlier_ejections_suppressed_total", "tracegate_pending_requests",
        ]

        static let logEvents: Set<String> = [
            "circuit_breaker_opened", "circuit_breaker_half_open", "circuit_breaker_closed", "endpoint_ejected",
            "endpoint_returned", "endpoint_ejection_suppressed",
        ]

        /// One phase's numbers.
        struct Phase {
            var name: String
            var seconds: Double
            var figures: LoadFigures
            var upstream: Int
        }

        @Test func slowDependencyDoesNotCascadeAndRecoversByItself() throws {
            let rig = try ResilienceRig.start([.healthy, .healthy], otlp: true) { endpoints, receiver in
                Self.config(endpoints, receiver: receiver ?? "")
            }
            defer { rig.stop() }
            let clock = ContinuousClock()
            var report: [String] = []
            let runStart = clock.now
            let load = ClientLoad.start(port: rig.port, clients: Self.clients, pause: .milliseconds(50),
                                        requestTimeout: .seconds(5))
            var stopped = false
            defer { if !stopped { load.stop() } }

            // 1. Healthy: 2 s of normal traffic.
            Thread.sleep(forTimeInterval: 2)
            let slowAt = clock.now
            let upstreamHealthy = rig.upstreamTotal
            let retriesHealthy = try rig.metrics()

            // 2. The dependency slows to 1 s per request. Traced probes are sent alongside the load.
            rig.upstreams.forEach { $0.mode = .slow(.seconds(1)) }
            var probes: [(trace: String, status: Int, elapsed: Duration)] = []
            let slowEnd = slowAt + .seconds(5)
            var n = 0
            while clock.now < slowEnd {
                let trace = String(format: "ca5cade%025x", n)
                let (response, elapsed) = try rig.timedSend("GET", "/probe/\(n)", headers: ["traceparent: 00-\(trace)-00f067aa0ba902b7-01"])
                probes.append((trace, response?.status ?? 0, elapsed))
                n += 1
                Thread.sleep(forTimeInterval: 0.25)
            }
            let slowMetrics = try rig.metrics()
            let slowMetricLines = try rig.metricLines(Self.families)
            let slowDebugState = try Self.json(try rig.debugCluster())
            let healAt = clock.now
            let upstreamSlow = rig.upstreamTotal

            // 3. The dependency heals. Tracegate must recover with no operator action: breakers close,
            // ejected endpoints return, clients get 200s, retries stop.
            rig.upstreams.forEach { $0.mode = .healthy }
            var recoveredAt: ContinuousClock.Instant?
            while clock.now < healAt + .seconds(10) {
                Thread.sleep(forTimeInterval: 0.2)
                let scrape = try rig.metrics()
                let closed = rig.upstreams.allSatisfy {
                    rig.value("tracegate_circuit_breaker_state", "endpoint=\"\($0.address)\",state=\"closed\"", in: scrape) == 1
                }
                let ejected = rig.upstreams.contains { rig.value("tracegate_outlier_ejected", "endpoint=\"\($0.address)\"", in: scrape) > 0 }
                if closed && !ejected { recoveredAt = clock.now; break }
            }
            // One more second of steady traffic after recovery, measured on its own.
            let steadyFrom = clock.now
            let upstreamRecovered = rig.upstreamTotal
            let steadyMetricsBefore = try rig.metrics()
            Thread.sleep(forTimeInterval: 1)
            let steadyMetricsAfter = try rig.metrics()
            let samples = load.stop()
            stopped = true
            let runEnd = clock.now
            let upstreamEnd = rig.upstreamTotal

            func phase(_ name: String, _ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant, upstream: Int) -> Phase {
                Phase(name: name, seconds: ClientLoad.seconds(to - from),
                      figures: LoadFigures(samples.filter { $0.sent >= from && $0.sent < to }), upstream: upstream)
            }
            let phases = [
                phase("healthy", runStart, slowAt, upstream: upstreamHealthy),
                phase("slow (1 s per request)", slowAt, healAt, upstream: upstreamSlow - upstreamHealthy),
                phase("healed, until recovered", healAt, steadyFrom, upstream: upstreamRecovered - upstreamSlow),
                phase("after recovery (1 s)", steadyFrom, runEnd, upstream: upstreamEnd - upstreamRecovered),
            ]
            let (healthy, slow, steady) = (phases[0].figures, phases[1].figures, phases[3].figures)
            let endMetrics = try rig.metrics { _ in true }
            let offered = samples.count + probes.count
            let runSeconds = ClientLoad.seconds(runEnd - runStart)
            let retries = rig.total("tracegate_retries_total", in: endMetrics)
            let floorAllowance = Double(Self.floor) * (Double(Self.ttlSeconds) + runSeconds.rounded(.up))
            let bound = (1 + Self.ratio) * Double(offered) + floorAllowance
            let steadyRetries = rig.total("tracegate_retries_total", in: steadyMetricsAfter) - rig.total("tracegate_retries_total", in: steadyMetricsBefore)

            // Healthy: everything 200, nothing retried.
            #expect(healthy.count > 200 && healthy.share(200) == 1, "healthy phase: \(healthy)")
            #expect(rig.total("tracegate_retries_total", in: retriesHealthy) == 0)
            // Slow: upstream load within the budget, fast failures instead of a pile-up.
            #expect(Double(upstreamEnd) <= bound, "upstream received \(upstreamEnd) > (1 + \(Self.ratio)) × \(offered) + \(floorAllowance)")
            #expect(slow.count > 500, "the clients kept calling: \(slow)")
            #expect(slow.p99 <= Self.overallTimeout + .milliseconds(500), "p99 in the slow phase is bounded by the overall timeout: \(slow)")
            #expect(slow.share(200) < 0.2, "the dependency really was too slow for the per-try timeout: \(slow)")
            #expect(rig.total("tracegate_circuit_breaker_transitions_total", in: slowMetrics) >= 1)
            #expect(slowMetricLines.contains { $0.hasPrefix("tracegate_circuit_breaker_transitions_total") && $0.contains("to=\"open\"") },
                    "a breaker opened")
            #expect(rig.total("tracegate_circuit_open_rejections_total", in: slowMetrics) > 0, "open breakers answered at once")
            #expect(rig.total("tracegate_outlier_ejections_total", in: slowMetrics) >= 1, "an endpoint was ejected")
            #expect(retries > 0 && rig.value("tracegate_retries_total", "cause=\"per_try_timeout\"", in: endMetrics) > 0)
            // Healed: recovery without intervention, 200s again, retries back to zero.
            #expect(recoveredAt != nil, "every breaker closed and no endpoint ejected within 10 s of healing")
            #expect(steady.count > 200 && steady.share(200) >= 0.99, "after recovery: \(steady)")
            #expect(steadyRetries <= 1, "retries back to ~0 after recovery: \(steadyRetries) in the last second")
            #expect(steady.p99 < .milliseconds(500), "after recovery: \(steady)")

            // The trace of one retried request, from the receiver.
            let receiver = try #require(rig.receiver)
            Thread.sleep(forTimeInterval: 0.5)
            let spans = try receiver.spans()
            let retried = probes.lazy.map { probe in spans.filter { $0.traceID == probe.trace } }
                .first { trace in trace.filter { $0.kind == "SPAN_KIND_CLIENT" }.count >= 2 }
            #expect(retried != nil, "a traced probe was retried: \(probes.map { "\($0.status)" })")
            if let retried {
                let server = retried.first { $0.kind == "SPAN_KIND_SERVER" }
                let clients = retried.filter { $0.kind == "SPAN_KIND_CLIENT" }.sorted { $0.startTimeUnixNano < $1.startTimeUnixNano }
                #expect(clients.allSatisfy { $0.parentSpanID == server?.spanID })
                #expect(Set(clients.map(\.spanID)).count == clients.count)
                #expect(clients.dropFirst().enumerated().allSatisfy { $1.attributes["http.request.resend_count"] == .int(Int64($0 + 1)) })
                #expect(server?.attributes["tracegate.attempts"] == .int(Int64(clients.count)))
            }

            // The report.
            report.append("# Integration.CascadeScenario/slowDependencyDoesNotCascadeAndRecoversByItself")
            report.append("")
            report.append("clients: \(Self.clients) keep-alive loops, 50 ms pause between requests; traced probes: \(probes.count)")
            report.append("route retry: max_attempts 3 on per-try-timeout and 503, per_try_timeout 100ms (probe route: 50ms), timeout 1s, backoff 10-50ms")
            report.append("budget: retry_ratio \(Self.ratio), min_retries_per_second \(Self.floor), ttl \(Self.ttlSeconds)s; "
                + "breaker: window 20, minimum 10, 50% failures, open 1s, 2 probes; ejection: 5 gateway failures, 1-3 s, max 50%")
            report.append("")
            report.append("## Phases (client view; latency per request)")
            for p in phases {
                let upstream = ", upstream received \(p.upstream)"
                report.append("- \(p.name), \(String(format: "%.1f", p.seconds)) s: \(p.figures)\(upstream)")
            }
            report.append("- recovered (all breakers closed, nothing ejected) "
                + (recoveredAt.map { String(format: "%.2f s after the dependency healed", ClientLoad.seconds($0 - healAt)) } ?? "NOT within 10 s"))
            report.append("")
            report.append("## Budget")
            report.append("offered requests (clients + probes): \(offered) over \(String(format: "%.1f", runSeconds)) s")
            report.append("upstream received: \(upstreamEnd) (healthy \(upstreamHealthy), slow \(upstreamSlow - upstreamHealthy), after healing \(upstreamEnd - upstreamSlow))")
            report.append("bound (1 + ratio) × offered + floor × (ttl + run): \(Int(bound))")
            report.append("without a budget or breakers the policy allows 3 × offered = \(3 * offered) attempts")
            report.append("retries made: \(Int(retries)); retries in the last second after recovery: \(Int(steadyRetries))")
            report.append("")
            report.append("## /metrics at the end of the slow phase")
            report.append(contentsOf: slowMetricLines)
            report.append("")
            report.append("## /debug/state, cluster api, at the end of the slow phase")
            report.append(slowDebugState)
            report.append("")
            report.append("## /metrics at the end")
            report.append(contentsOf: try rig.metricLines(Self.families))
            report.append("")
            report.append("## Process log (resilience events)")
            report.append(contentsOf: rig.logLines(Self.logEvents))
            report.append("")
            report.append("## Probes (status, latency)")
            report.append(probes.map { "\($0.status) \(LoadFigures.ms($0.elapsed))" }.joined(separator: ", "))
            report.append("")
            report.append("## Trace of a retried probe")
            report.append(contentsOf: Self.render(retried.map(Array.init) ?? []))
            let path = try TestOutput.write("cascade-scenario.txt", report.joined(separator: "\n") + "\n")
            print("cascade scenario report: \(path)\n" + report.prefix(20).joined(separator: "\n"))
        }

        /// A trace as an indented tree: the SERVER span, then its CLIENT spans in start order, with
        /// the attributes that tell the story and the span's events.
        static func render(_ spans: [ReceivedSpan]) -> [String] {
            guard let server = spans.first(where: { $0.kind == "SPAN_KIND_SERVER" }) else { return ["(no spans)"] }
            let origin = server.startTimeUnixNano
            func line(_ s: ReceivedSpan, indent: String) -> [String] {
                let start = Double(s.startTimeUnixNano &- origin) / 1e6
                let duration = Double(s.endTimeUnixNano &- s.startTimeUnixNano) / 1e6
                let keys = ["http.response.status_code", "http.request.resend_count", "server.port", "error.type", "tracegate.attempts"]
                let attributes = keys.compactMap { key in s.attributes[key].map { "\(key)=\(Self.text($0))" } }.joined(separator: " ")
                let kind = s.kind.replacingOccurrences(of: "SPAN_KIND_", with: "")
                let parent = s.parentSpanID.isEmpty ? "-" : s.parentSpanID
                var lines = ["\(indent)\(kind) \(s.name) span=\(s.spanID) parent=\(parent) +\(Self.ms(start)), \(Self.ms(duration))  \(attributes) [\(s.status.code)]"]
                for e in s.events {
                    let at = Double(e.timeUnixNano &- origin) / 1e6
                    let attributes = e.attributes.map { "\($0.key)=\(Self.text($0.value))" }.sorted().joined(separator: " ")
                    lines.append("\(indent)  event \(e.name) +\(Self.ms(at)) \(attributes)")
                }
                return lines
            }
            var out = ["trace \(server.traceID)"] + line(server, indent: "")
            for client in spans.filter({ $0.kind == "SPAN_KIND_CLIENT" }).sorted(by: { $0.startTimeUnixNano < $1.startTimeUnixNano }) {
                out += line(client, indent: "  └─ ")
            }
            return out
        }

        static func json(_ object: [String: Any]) throws -> String {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }

        static func ms(_ milliseconds: Double) -> String { String(format: "%.1f ms", milliseconds) }

        static func text(_ value: ReceivedValue) -> String {
            switch value {
            case .string(let s): s
            case .int(let i): String(i)
            case .double(let d): String(d)
            case .bool(let b): String(b)
            default: "\(value)"
            }
        }
    }
}
