// RetryTests+Spans: each attempt of a retried request as its own CLIENT span, as a real OTLP
// receiver decodes them, and the span id each attempt carried upstream.
import Foundation
import Testing
import TracegateTestSupport

extension Integration.Retries {
    /// A request retried once after a 503 exports one SERVER span and two CLIENT spans under
    /// it: distinct span ids, the second with `http.request.resend_count` 1, the first with the
    /// discarded 503. Each attempt's `traceparent` named its own CLIENT span as the parent, so
    /// the upstream's spans hang under the attempt that caused them.
    @Test func eachAttemptIsItsOwnClientSpan() throws {
        let rig = try ResilienceRig.start([.healthy], otlp: true) { endpoints, receiver in
            ResilienceYAML.config(endpoints: endpoints, retry: Self.policy("503"),
                                  extra: ResilienceYAML.telemetry(receiver ?? ""))
        }
        defer { rig.stop() }
        let receiver = try #require(rig.receiver)
        let upstream = rig.upstreams[0]
        upstream.script([.status(503)])
        let trace = "5a0c1f3e9b7d4c2a8e6f0b1d3c5a7e9f"
        let response = try rig.send("GET", "/spans", headers: ["traceparent: 00-\(trace)-1111111111111111-01"])
        #expect(response?.status == 200)
        #expect(upstream.requestCount == 2)

        let spans = try receiver.waitForSpans(count: 3).filter { $0.traceID == trace }
        let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" }, "no SERVER span: \(spans.map(\.name))")
        let clients = spans.filter { $0.kind == "SPAN_KIND_CLIENT" }.sorted { $0.startTimeUnixNano < $1.startTimeUnixNano }
        try #require(clients.count == 2, "one CLIENT span per attempt: \(clients.map(\.spanID))")
        #expect(clients[0].spanID != clients[1].spanID)
        #expect(clients.allSatisfy { $0.parentSpanID == server.spanID })
        #expect(clients[0].attributes["http.request.resend_count"] == nil)
        #expect(clients[1].attributes["http.request.resend_count"] == .int(1))
        #expect(clients[0].attributes["http.response.status_code"] == .int(503))
        #expect(clients[0].status.code == "STATUS_CODE_ERROR")
        #expect(clients[1].attributes["http.response.status_code"] == .int(200))
        #expect(clients[0].endTimeUnixNano <= clients[1].startTimeUnixNano, "the attempts did not overlap")
        #expect(server.attributes["http.response.status_code"] == .int(200))
        #expect(server.attributes["tracegate.attempts"] == .int(2))
        #expect(!server.events.contains { $0.name == "tracegate.retry_given_up" })

        let parents = upstream.requests.map { Wire.traceparent($0.header("traceparent")) }
        #expect(parents.map { $0?.traceID } == [trace, trace])
        #expect(parents.map { $0?.parentID } == clients.map(\.spanID),
                "each attempt's traceparent names its own CLIENT span")
    }
}

extension Integration.Retries {
    /// A request that was never retried and never gave up a retry has no
    /// `tracegate.retry_given_up` event; neither does a later request on the same connection
    /// after one that gave up.
    @Test
    func giveUpEventBelongsToItsOwnRequestOnly() throws {
        let rig = try ResilienceRig.start([.healthy], otlp: true) { endpoints, receiver in
            ResilienceYAML.config(endpoints: endpoints, retry: Self.policy("503"),
                                  cluster: ["retry_budget: {retry_ratio: 0, min_retries_per_second: 0, ttl: 10s}"],
                                  extra: ResilienceYAML.telemetry(receiver ?? ""))
        }
        defer { rig.stop() }
        let receiver = try #require(rig.receiver)
        let traces = ["1a000000000000000000000000000001", "1a000000000000000000000000000002", "1a000000000000000000000000000003"]
        let client = try RawHTTPClient.connect(port: rig.port)
        defer { client.close() }
        func get(_ trace: String) -> Int? {
            #expect(client.send("GET /k HTTP/1.1\r\nHost: api.test\r\ntraceparent: 00-\(trace)-2222222222222222-01\r\n\r\n"))
            return client.readResponse()?.status
        }
        #expect(get(traces[0]) == 200, "a plain success")
        rig.upstreams[0].script([.status(503)])
        #expect(get(traces[1]) == 503, "the budget refuses the retry")
        #expect(get(traces[2]) == 200, "a plain success on the same connection")
        let spans = try receiver.waitForSpans(count: 6)
        func serverEvents(_ trace: String) -> [String: String] {
            let server = spans.first { $0.traceID == trace && $0.kind == "SPAN_KIND_SERVER" }
            var found: [String: String] = [:]
            for e in server?.events ?? [] where e.name == "tracegate.retry_given_up" {
                if case .string(let reason)? = e.attributes["tracegate.retry.reason"] { found[e.name] = reason }
            }
            return found
        }
        #expect(serverEvents(traces[0]).isEmpty, "first request: \(serverEvents(traces[0]))")
        #expect(serverEvents(traces[1]) == ["tracegate.retry_given_up": "budget_exhausted"])
        #expect(serverEvents(traces[2]).isEmpty, "third request: \(serverEvents(traces[2]))")
    }
}
