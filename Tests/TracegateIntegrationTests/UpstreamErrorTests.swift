// UpstreamErrorTests: Tracegate's own answers when routing or the upstream fails (404, 502, 504,
// 413), the connection-level failure after a response started, and their counters.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct UpstreamErrors {
        /// Routes: `/api/` → the fixture, `/hang/` → the fixture with a 300 ms timeout, `/refused/`
        /// → a port where nothing listens. Nothing matches `/`. Request bodies are limited to 1 KiB.
        static func config(backend: String, refusedPort: Int) -> String {
            """
            workers: 1
            admin: { address: "127.0.0.1:0" }
            listeners:
              - { name: public, address: "127.0.0.1:0" }
            routes:
              - { name: api, match: { path_prefix: "/api/" }, cluster: backend }
              - { name: hang, match: { path_prefix: "/hang/" }, cluster: backend, timeout: 300ms }
              - { name: refused, match: { path_prefix: "/refused/" }, cluster: refused }
            clusters:
              - { name: backend, endpoints: ["\(backend)"] }
              - { name: refused, endpoints: ["127.0.0.1:\(refusedPort)"] }
            limits: { max_request_body_bytes: 1KiB }
            """
        }

        static let table: [String: FixtureResponse] = [
            "/api/reset": .reset,
            "/hang/slow": .hang,
            "/api/partial": FixtureResponse.streamed(totalBytes: 1_000_000, chunked: false).with { $0.closeAfterBytes = 100_000 },
            "/api/partial-chunked": FixtureResponse.streamed(totalBytes: 1_000_000, chunked: true).with { $0.closeAfterBytes = 100_000 },
            "/api/malformed": .raw("HTTP/1.1 2OO Okay\r\nContent-Length: 0\r\n\r\n"),
        ]

        static func start() throws -> Harness {
            let refused = try UpstreamFixture.refusingPort()
            return try Harness.start(UpstreamFixture.routes(table, fallback: .text("api ok"))) {
                config(backend: $0, refusedPort: refused)
            }
        }

        @Test func noRouteIs404AndTheConnectionStaysUsable() throws {
            let h = try Self.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /other/page HTTP/1.1\r\nHost: t\r\nX-Correlation-ID: no-route-42\r\n\r\n"))
            let id = ProxyErrors.check(client.readResponse(), status: 404, code: "no_route", sentCorrelationID: "no-route-42")
            #expect(h.upstream.requests.isEmpty)
            #expect(client.send("GET /api/fine HTTP/1.1\r\nHost: t\r\n\r\n"))
            let next = client.readResponse()
            #expect(next?.status == 200)
            #expect(next?.bodyText == "api ok")
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 404, code: "no_route")
            try ProxyErrors.expectCounted(h.proxy, code: "no_route")
        }

        @Test func refusedUpstreamIs502() throws {
            let h = try Self.start()
            defer { h.stop() }
            let id = ProxyErrors.check(try Wire.get(port: h.port, "/refused/x"), status: 502, code: "upstream_connect_failed")
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 502, code: "upstream_connect_failed")
            try ProxyErrors.expectUpstreamFailure(h.proxy, kind: "connect")
        }

        @Test func upstreamResetBeforeHeadIs502() throws {
            let h = try Self.start()
            defer { h.stop() }
            let id = ProxyErrors.check(try Wire.get(port: h.port, "/api/reset"), status: 502, code: "upstream_reset")
            #expect(h.upstream.requests.contains { $0.target == "/api/reset" })
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 502, code: "upstream_reset")
            try ProxyErrors.expectUpstreamFailure(h.proxy, kind: "reset")
        }

        @Test func hungUpstreamIs504AfterTheRouteTimeout() throws {
            let h = try Self.start()
            defer { h.stop() }
            let clock = ContinuousClock()
            let started = clock.now
            let response = try Wire.get(port: h.port, "/hang/slow")
            let elapsed = clock.now - started
            let id = ProxyErrors.check(response, status: 504, code: "upstream_timeout")
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(3), "504 after \(elapsed)")
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 504, code: "upstream_timeout")
            try ProxyErrors.expectUpstreamFailure(h.proxy, kind: "timeout")
        }

        @Test func malformedUpstreamResponseIs502() throws {
            let h = try Self.start()
            defer { h.stop() }
            let id = ProxyErrors.check(try Wire.get(port: h.port, "/api/malformed"), status: 502, code: "upstream_malformed_response")
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 502, code: "upstream_malformed_response")
            try ProxyErrors.expectCounted(h.proxy, code: "upstream_malformed_response")
        }

        @Test func contentLengthBodyOverLimitIs413() throws {
            let h = try Self.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("POST /api/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 4096\r\n\r\n"))
            client.sendPattern(totalBytes: 4096)
            let id = ProxyErrors.check(client.readResponse(), status: 413, code: "body_too_large")
            #expect(!h.upstream.requests.contains { $0.isBodyComplete && $0.bodyLength == 4096 })
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 413, code: "body_too_large")
            try ProxyErrors.expectCounted(h.proxy, code: "body_too_large")
        }

        @Test func chunkedBodyOverLimitIs413() throws {
            let h = try Self.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            let chunk = String(repeating: "q", count: 800)
            #expect(client.send("POST /api/upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"))
            let id = ProxyErrors.check(client.readResponse(), status: 413, code: "body_too_large")
            #expect(!h.upstream.requests.contains { $0.isBodyComplete && $0.bodyLength == 2400 })
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 413, code: "body_too_large")
            try ProxyErrors.expectCounted(h.proxy, code: "body_too_large")
        }

        /// A pool at `max_connections` queues the next request (issue 7's pending queue) instead
        /// of failing it: it is served on the same connection once that comes back.
        @Test func exhaustedUpstreamPoolQueuesTheNextRequest() throws {
            let h = try Harness.start({ request in
                request.path == "/slow" ? FixtureResponse.text("slow").with { $0.delayBeforeHead = .milliseconds(500) } : .text("fast")
            }, config: { backend in
                Configs.standard(backend: backend).replacingOccurrences(
                    of: "endpoints: [\"\(backend)\"] }", with: "endpoints: [\"\(backend)\"], pool: { max_connections: 1, max_idle: 1 } }")
            })
            defer { h.stop() }
            let slow = try RawHTTPClient.connect(port: h.port)
            defer { slow.close() }
            #expect(slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(h.upstream.waitForRequests(count: 1, timeout: .seconds(5)))
            let started = ContinuousClock.now
            let fast = try Wire.get(port: h.port, "/fast")
            #expect(fast?.status == 200 && fast?.bodyText == "fast")
            #expect(ContinuousClock.now - started >= .milliseconds(300), "the second request waited for the connection")
            #expect(slow.readResponse()?.bodyText == "slow")
            #expect(h.upstream.requests.map(\.target) == ["/slow", "/fast"])
            #expect(h.upstream.acceptedConnections == 1, "both requests shared the one pooled connection")
        }

        @Test(arguments: ["/api/partial", "/api/partial-chunked"])
        func upstreamDyingMidResponseClosesTheClientConnection(path: String) throws {
            let h = try Self.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n"))
            let clock = ContinuousClock()
            let started = clock.now
            let response = client.readResponse(timeout: .seconds(10))
            #expect(response == nil, "a truncated body must not look complete")
            let error = client.lastReadError ?? ""
            #expect(error.hasPrefix("closed in body"), "expected a close mid-body, got: \(error)")
            #expect(clock.now - started < .seconds(5))
            #expect(!error.contains("timed out"))
        }
    }
}
