// BreakerTests: the per-endpoint failure-rate breaker (open, reject, half-open, close or reopen)
// and outlier ejection (eject, send elsewhere, return, the percentage cap), seen through the
// client's answers, /metrics, /debug/state and the process log.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct Breakers {
        /// A breaker over the last 10 calls that opens at 50% failures, stays open 1 s and closes
        /// after 2 good probes. No retries (the route retries connect failures only).
        static let breaker = "circuit_breakers: {failure_rate: {window_size: 10, minimum_calls: 10, "
            + "failure_rate_threshold: 0.5, open_duration: 1s, probe_requests: 2}}"

        static func state(_ endpoint: String, _ state: String) -> String {
            "endpoint=\"\(endpoint)\",state=\"\(state)\""
        }

        /// Fills the window with failures, checks the breaker is open everywhere it is shown and
        /// that it rejects without reaching the upstream. Returns the stderr index after the opening.
        static func openBreaker(_ rig: ResilienceRig) throws -> Int {
            let upstream = rig.upstreams[0]
            let endpoint = upstream.address
            upstream.mode = .status(503)
            for i in 0..<10 {
                let response = try rig.send("GET", "/fail/\(i)")
                #expect(response?.status == 503 && response?.header("X-Upstream") == "a",
                        "call \(i) reaches the upstream: \(response?.rawHead ?? "no response")")
            }
            #expect(upstream.requestCount == 10)
            let opened = rig.waitForLog("circuit_breaker_opened", endpoint: endpoint)
            #expect(opened?["cluster"] as? String == "api")
            #expect(opened?["from"] as? String == "closed")
            #expect(opened?["reason"] as? String == "failure_rate", "\(opened ?? [:])")
            let scrape = try rig.metrics { rig.value("tracegate_circuit_breaker_state", state(endpoint, "open"), in: $0) == 1 }
            #expect(rig.value("tracegate_circuit_breaker_state", state(endpoint, "open"), in: scrape) == 1)
            #expect(rig.value("tracegate_circuit_breaker_state", state(endpoint, "closed"), in: scrape) == 0)
            #expect(rig.value("tracegate_circuit_breaker_transitions_total", "endpoint=\"\(endpoint)\",to=\"open\"", in: scrape) >= 1)
            let pool = try rig.debugPool(endpoint)
            #expect(pool["breaker"] as? String == "open", "\(pool)")
            #expect((pool["breaker_workers"] as? [String: Any])?["open"] as? Int == 1, "\(pool)")

            // Open: answered by Tracegate at once, the upstream does not see it.
            let (rejected, elapsed) = try rig.timedSend("GET", "/while-open")
            ProxyErrors.check(rejected, status: 503, code: "upstream_circuit_open")
            #expect(elapsed < .milliseconds(500))
            #expect(upstream.requestCount == 10, "an open breaker keeps requests away from the endpoint")
            let after = try rig.metrics { rig.value("tracegate_circuit_open_rejections_total", in: $0) >= 1 }
            #expect(rig.value("tracegate_circuit_open_rejections_total", in: after) >= 1)
            let resilience = try #require(try rig.debugCluster()["resilience"] as? [String: Any])
            #expect((resilience["circuit_open_rejections"] as? Int ?? 0) >= 1, "\(resilience)")
            return rig.proxy.stderrLineCount
        }

        /// Closed → open after the window fills with failures → 503 `upstream_circuit_open`
        /// without reaching the upstream → half-open after `open_duration` (logged and shown
        /// without traffic) → two good probes close it; each transition logged and counted.
        @Test func failureRateBreakerOpensRejectsAndClosesAfterGoodProbes() throws {
            let rig = try ResilienceRig.start([.healthy]) { ResilienceYAML.config(endpoints: $0, cluster: [Self.breaker]) }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            let endpoint = upstream.address
            let mark = try Self.openBreaker(rig)

            upstream.mode = .healthy
            let halfOpen = rig.waitForLog("circuit_breaker_half_open", endpoint: endpoint, after: mark, timeout: .seconds(3))
            #expect(halfOpen?["reason"] as? String == "open_duration_elapsed", "\(halfOpen ?? [:])")
            let probing = try rig.metrics { rig.value("tracegate_circuit_breaker_state", Self.state(endpoint, "half_open"), in: $0) == 1 }
            #expect(rig.value("tracegate_circuit_breaker_state", Self.state(endpoint, "half_open"), in: probing) == 1)
            #expect(try rig.debugPool(endpoint)["breaker"] as? String == "half_open")

            for i in 0..<2 {
                #expect(try rig.send("GET", "/probe/\(i)")?.status == 200, "probe \(i)")
            }
            let closed = rig.waitForLog("circuit_breaker_closed", endpoint: endpoint, after: mark)
            #expect(closed?["from"] as? String == "half_open")
            #expect(closed?["reason"] as? String == "probes_succeeded", "\(closed ?? [:])")
            #expect(upstream.requestCount == 12)
            let scrape = try rig.metrics { rig.value("tracegate_circuit_breaker_state", Self.state(endpoint, "closed"), in: $0) == 1 }
            #expect(rig.value("tracegate_circuit_breaker_state", Self.state(endpoint, "closed"), in: scrape) == 1)
            for to in ["open", "half_open", "closed"] {
                #expect(rig.value("tracegate_circuit_breaker_transitions_total", "endpoint=\"\(endpoint)\",to=\"\(to)\"", in: scrape) == 1,
                        "one transition to \(to)")
            }
            #expect(try rig.debugPool(endpoint)["breaker"] as? String == "closed")
            for i in 0..<5 { #expect(try rig.send("GET", "/after/\(i)")?.status == 200) }
        }

        /// A probe that fails reopens the breaker for another `open_duration`.
        @Test func failingProbeReopensTheBreaker() throws {
            let rig = try ResilienceRig.start([.healthy]) { ResilienceYAML.config(endpoints: $0, cluster: [Self.breaker]) }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            let endpoint = upstream.address
            let mark = try Self.openBreaker(rig)
            #expect(rig.waitForLog("circuit_breaker_half_open", endpoint: endpoint, after: mark, timeout: .seconds(3)) != nil)

            let probe = try rig.send("GET", "/probe")
            #expect(probe?.status == 503 && probe?.header("X-Upstream") == "a", "the probe reached the still failing upstream")
            #expect(upstream.requestCount == 11)
            let reopened = rig.waitForLog("circuit_breaker_opened", endpoint: endpoint, after: mark)
            #expect(reopened?["from"] as? String == "half_open")
            #expect(reopened?["reason"] as? String == "probe_failed", "\(reopened ?? [:])")
            let scrape = try rig.metrics {
                rig.value("tracegate_circuit_breaker_transitions_total", "endpoint=\"\(endpoint)\",to=\"open\"", in: $0) >= 2
            }
            #expect(rig.value("tracegate_circuit_breaker_transitions_total", "endpoint=\"\(endpoint)\",to=\"open\"", in: scrape) == 2)
            #expect(rig.value("tracegate_circuit_breaker_transitions_total", "endpoint=\"\(endpoint)\",to=\"closed\"", in: scrape) == 0)
            #expect(rig.value("tracegate_circuit_breaker_state", Self.state(endpoint, "open"), in: scrape) == 1)
            ProxyErrors.check(try rig.send("GET", "/reopened"), status: 503, code: "upstream_circuit_open")
            #expect(upstream.requestCount == 11)
        }

        /// A retry that would find every breaker open is not made: the client gets the failure it
        /// had (the upstream's own 503), the give-up is counted as `circuit_open`, and nothing
        /// counts a retry that never happened — no `retries_total`, no budget token spent
        /// (RetryPolicy.decide: "a retry refused for any other reason must not spend the
        /// cluster's share").
        @Test
        func retryIntoOpenBreakersReturnsTheOriginalFailure() throws {
            let rig = try ResilienceRig.start([.status(503)]) {
                ResilienceYAML.config(endpoints: $0, retry: "{max_attempts: 3, retry_on: [503]}", cluster: [
                    "circuit_breakers: {failure_rate: {window_size: 1, minimum_calls: 1, open_duration: 10s}}",
                    "retry_budget: {retry_ratio: 0, min_retries_per_second: 1, ttl: 10s}",
                ])
            }
            defer { rig.stop() }
            let response = try rig.send()
            #expect(response?.status == 503)
            #expect(response?.header("X-Upstream") == "a", "the upstream's 503, not Tracegate's: \(response?.bodyText ?? "")")
            #expect(rig.upstreams[0].requestCount == 1)
            let scrape = try rig.metrics()
            #expect(rig.total("tracegate_retries_total", in: scrape) == 0, "no retry was made")
            #expect(rig.value("tracegate_retry_budget_available", in: scrape) == 10, "no token was spent")
            #expect(rig.value("tracegate_retries_given_up_total", "reason=\"circuit_open\"", in: scrape) == 1)
        }

        /// Outlier ejection: after three 503s in a row an endpoint is ejected (gauge, counter, log
        /// line with the ejection time), every request goes to the other endpoint, and after
        /// `base_ejection_time` it returns by itself (log line, gauge back to 0) and gets traffic.
        @Test func consecutiveFailuresEjectAnEndpointUntilItsTimeIsUp() throws {
            let rig = try ResilienceRig.start([.status(503), .healthy]) {
                ResilienceYAML.config(endpoints: $0, cluster: [
                    "outlier_detection: {consecutive_5xx: 3, consecutive_gateway_failures: 0, base_ejection_time: 1s, "
                        + "max_ejection_time: 10s, max_ejection_percent: 50, decay_interval: 10s}",
                ])
            }
            defer { rig.stop() }
            let (failing, healthy) = (rig.upstreams[0], rig.upstreams[1])
            var sent = 0
            while failing.requestCount < 3 && sent < 20 {
                _ = try rig.send("GET", "/warm/\(sent)")
                sent += 1
            }
            #expect(failing.requestCount == 3)
            let ejected = rig.waitForLog("endpoint_ejected", endpoint: failing.address)
            #expect(ejected?["reason"] as? String == "consecutive_5xx", "\(ejected ?? [:])")
            #expect(ejected?["times_ejected"] as? String == "1" || ejected?["times_ejected"] as? Int == 1, "\(ejected ?? [:])")
            let mark = rig.proxy.stderrLineCount
            let scrape = try rig.metrics { rig.value("tracegate_outlier_ejected", "endpoint=\"\(failing.address)\"", in: $0) == 1 }
            #expect(rig.value("tracegate_outlier_ejected", "endpoint=\"\(failing.address)\"", in: scrape) == 1)
            #expect(rig.value("tracegate_outlier_ejected", "endpoint=\"\(healthy.address)\"", in: scrape) == 0)
            #expect(rig.value("tracegate_outlier_ejections_total", "endpoint=\"\(failing.address)\",reason=\"consecutive_5xx\"", in: scrape) == 1)
            #expect(try rig.debugPool(failing.address)["ejected_workers"] as? Int == 1)

            let healthyBefore = healthy.requestCount
            for i in 0..<10 {
                let response = try rig.send("GET", "/ejected/\(i)")
                #expect(response?.status == 200 && response?.header("X-Upstream") == "b", "request \(i) while a is ejected")
            }
            #expect(failing.requestCount == 3, "an ejected endpoint gets no traffic")
            #expect(healthy.requestCount == healthyBefore + 10)

            let returned = rig.waitForLog("endpoint_returned", endpoint: failing.address, after: mark, timeout: .seconds(3))
            #expect(returned != nil, "the endpoint returns after base_ejection_time without any request")
            let back = try rig.metrics { rig.value("tracegate_outlier_ejected", "endpoint=\"\(failing.address)\"", in: $0) == 0 }
            #expect(rig.value("tracegate_outlier_ejected", "endpoint=\"\(failing.address)\"", in: back) == 0)
            failing.mode = .healthy
            for i in 0..<4 { #expect(try rig.send("GET", "/returned/\(i)")?.status == 200) }
            #expect(failing.requestCount > 3, "the returned endpoint is in the rotation again")
        }

        /// `max_ejection_percent: 50` with both endpoints failing: one is ejected, the other's
        /// ejection is refused (counted and logged) and it keeps serving.
        @Test func ejectionCapKeepsHalfTheEndpointsInSelection() throws {
            let rig = try ResilienceRig.start([.status(503), .status(503)]) {
                ResilienceYAML.config(endpoints: $0, cluster: [
                    "outlier_detection: {consecutive_5xx: 3, consecutive_gateway_failures: 0, base_ejection_time: 10s, "
                        + "max_ejection_percent: 50}",
                ])
            }
            defer { rig.stop() }
            for i in 0..<12 { #expect(try rig.send("GET", "/both/\(i)")?.status == 503) }
            let scrape = try rig.metrics { rig.total("tracegate_outlier_ejections_suppressed_total", in: $0) >= 1 }
            let ejectedGauges = rig.upstreams.map { rig.value("tracegate_outlier_ejected", "endpoint=\"\($0.address)\"", in: scrape) }
            #expect(ejectedGauges.reduce(0, +) == 1, "exactly one endpoint ejected: \(ejectedGauges)")
            #expect(rig.total("tracegate_outlier_ejections_suppressed_total", in: scrape) >= 1)
            #expect(rig.total("tracegate_outlier_ejections_total", in: scrape) == 1)
            let kept = rig.upstreams[ejectedGauges[0] == 1 ? 1 : 0]
            #expect(rig.waitForLog("endpoint_ejection_suppressed", endpoint: kept.address) != nil)
            let before = kept.requestCount
            for i in 0..<3 { #expect(try rig.send("GET", "/kept/\(i)")?.header("X-Upstream") == kept.name, "request \(i)") }
            #expect(kept.requestCount == before + 3)
        }
    }
}
