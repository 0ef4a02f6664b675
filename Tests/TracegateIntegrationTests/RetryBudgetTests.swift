// RetryBudgetTests: a cluster's retry budget under load against an upstream that fails every
// request, and what a request the budget refused carries in its span.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct RetryBudget {
        /// Issue 7: "Prove under load that an upstream failing 100% of requests receives at most
        /// (1 + ratio) × the offered requests, plus the floor."
        ///
        /// One worker, every answer 503, `max_attempts: 3` on 503, `retry_ratio: 0.2`,
        /// `min_retries_per_second: 1`, `ttl: 10s`. h2load offers N requests over HTTP/1.1.
        /// Without a budget the policy alone would send 3·N requests upstream. With it, each
        /// request deposits 0.2 of a token and each retry takes a whole one from a window that
        /// also holds a constant reserve of floor × ttl tokens, so the upstream receives at most
        /// N + 0.2·N + floor·ttl (plus floor for every second the run outlasts the window).
        @Test func budgetCapsUpstreamLoadUnderTotalFailure() throws {
            let offered = 2_000
            let ratio = 0.2
            let floor = 1
            let ttlSeconds = 10
            let maxAttempts = 3
            let rig = try ResilienceRig.start([.status(503)]) {
                ResilienceYAML.config(
                    endpoints: $0,
                    retry: "{max_attempts: \(maxAttempts), retry_on: [503], backoff: {base: 1ms, max: 2ms}}",
                    cluster: [
                        "retry_budget: {retry_ratio: \(ratio), min_retries_per_second: \(floor), ttl: \(ttlSeconds)s}",
                        // Retries in flight are not what this test is about: only the budget limits.
                        "circuit_breakers: {max_retries: 100000}",
                    ])
            }
            defer { rig.stop() }
            let reserve = Double(floor * ttlSeconds)
            let before = try rig.metrics()
            #expect(rig.value("tracegate_retry_budget_available", in: before) == reserve,
                    "an idle cluster's budget is its reserve, floor × ttl")

            let clock = ContinuousClock()
            let started = clock.now
            let load = try H2Client.h2load(url: rig.url("/budget"), requests: offered, clients: 8, streams: 1,
                                           extraArguments: ["--h1"], timeout: .seconds(60))
            let elapsed = clock.now - started
            #expect(load.done == offered, "h2load: \(load.output)")
            #expect(load.statusClasses["5xx"] == offered, "every request ends with the upstream's 503: \(load.output)")

            let received = rig.upstreams[0].requestCount
            let seconds = ClientLoad.seconds(elapsed)
            // The reserve is floor × ttl per window; a run longer than the window earns floor per extra second.
            let floorAllowance = Double(floor) * max(Double(ttlSeconds), seconds.rounded(.up))
            let bound = (1 + ratio) * Double(offered) + floorAllowance
            let withoutBudget = maxAttempts * offered
            let scrape = try rig.metrics { rig.value("tracegate_retries_total", "cause=\"status\"", in: $0) >= Double(received - offered) }
            let retries = rig.value("tracegate_retries_total", "cause=\"status\"", in: scrape)
            let exhausted = rig.value("tracegate_retries_given_up_total", "reason=\"budget_exhausted\"", in: scrape)
            let attemptsExhausted = rig.value("tracegate_retries_given_up_total", "reason=\"attempts_exhausted\"", in: scrape)

            #expect(Double(received) <= bound,
                    "upstream received \(received) > (1 + \(ratio)) × \(offered) + \(floorAllowance) = \(bound)")
            #expect(Double(received) >= Double(offered) + 0.9 * ratio * Double(offered),
                    "the budget grants its share: \(received) received for \(offered) offered")
            #expect(retries == Double(received - offered), "each upstream request beyond the offered ones is a counted retry")
            #expect(exhausted > 0, "retries past the budget are counted as budget_exhausted")
            #expect(exhausted + attemptsExhausted == Double(offered),
                    "every request gave up once: budget_exhausted \(exhausted) + attempts_exhausted \(attemptsExhausted)")
            #expect(received < withoutBudget / 2)

            let summary = """
            # Integration.RetryBudget/budgetCapsUpstreamLoadUnderTotalFailure
            offered requests (h2load --h1 -n \(offered) -c 8): \(offered) in \(String(format: "%.2f", seconds)) s
            policy: max_attempts \(maxAttempts) on 503; budget: retry_ratio \(ratio), min_retries_per_second \(floor), ttl \(ttlSeconds)s
            upstream received: \(received)
            bound (1 + ratio) × offered + floor × max(ttl, run): \(Int(bound))
            without a budget (max_attempts × offered, computed): \(withoutBudget)
            retries made: \(Int(retries)); given up budget_exhausted: \(Int(exhausted)), attempts_exhausted: \(Int(attemptsExhausted))
            budget available before the run: \(Int(reserve)), after: \(Int(rig.value("tracegate_retry_budget_available", in: scrape)))

            """
            try TestOutput.write("retry-budget.txt", summary + (try rig.metricLines([
                "tracegate_retries_total", "tracegate_retries_given_up_total", "tracegate_retry_budget_available",
            ])).joined(separator: "\n") + "\n")
            print(summary)
        }

        /// A budget with no share and no floor refuses every retry: the upstream's 503 goes to
        /// the client after one attempt, `budget_exhausted` is counted, and the SERVER span
        /// carries the `tracegate.retry_given_up` event with the reason.
        @Test func refusedRetryIsAnEventOnTheServerSpan() throws {
            let rig = try ResilienceRig.start([.status(503)], otlp: true) { endpoints, receiver in
                ResilienceYAML.config(
                    endpoints: endpoints, retry: "{max_attempts: 3, retry_on: [503]}",
                    cluster: ["retry_budget: {retry_ratio: 0, min_retries_per_second: 0, ttl: 10s}"],
                    extra: ResilienceYAML.telemetry(receiver ?? ""))
            }
            defer { rig.stop() }
            let trace = "0af7651916cd43dd8448eb211c80319c"
            let response = try rig.send("GET", "/given-up", headers: ["traceparent: 00-\(trace)-b7ad6b7169203331-01"])
            #expect(response?.status == 503)
            #expect(rig.upstreams[0].requestCount == 1)
            let scrape = try rig.metrics { rig.value("tracegate_retries_given_up_total", "reason=\"budget_exhausted\"", in: $0) >= 1 }
            #expect(rig.value("tracegate_retries_given_up_total", "reason=\"budget_exhausted\"", in: scrape) == 1)
            #expect(rig.value("tracegate_retry_budget_available", in: scrape) == 0)

            let receiver = try #require(rig.receiver)
            let spans = try receiver.waitForSpans(count: 2).filter { $0.traceID == trace }
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" }, "no SERVER span: \(spans.map(\.name))")
            let event = try #require(server.events.first { $0.name == "tracegate.retry_given_up" },
                                     "events: \(server.events.map(\.name))")
            #expect(event.attributes["tracegate.retry.reason"] == .string("budget_exhausted"))
            #expect(spans.filter { $0.kind == "SPAN_KIND_CLIENT" }.count == 1)
        }
    }
}
