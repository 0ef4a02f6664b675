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
