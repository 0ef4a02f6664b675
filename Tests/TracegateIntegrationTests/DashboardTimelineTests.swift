// DashboardTimelineTests: the request timeline in /debug/requests (what the dashboard's detail
// view draws) for HTTP/1.1 and HTTP/2 clients, a retried request and a mirrored one.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite("Dashboard request timeline")
    struct DashboardTimelineTests {
        /// The `/debug/requests` entry of correlation id `id` (polled: the index is filled 20-50 ms
        /// after the response).
        static func entry(_ proxy: ProxyProcess, _ id: String) throws -> [String: Any] {
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(5)
            while clock.now < deadline {
                if let found = try Admin.requests(proxy, query: "correlation_id=\(id)").first { return found }
                usleep(20_000)
            }
            Issue.record("no /debug/requests entry for \(id)")
            return [:]
        }

        /// Offsets are non-negative, ordered within each attempt (start ≤ connect ≤ first byte ≤
        /// last byte), attempts follow each other, and all lie within the request's duration.
        static func checkMonotonic(_ e: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
            let timeline = try #require(e["timeline"] as? [String: Any], sourceLocation: sourceLocation)
            let total = try #require(e["duration_ms"] as? Double, sourceLocation: sourceLocation)
            let age = try #require(timeline["connection_age_ms"] as? Double, sourceLocation: sourceLocation)
            #expect(age >= 0 && age < 60_000, "connection_age_ms \(age)", sourceLocation: sourceLocation)
            #expect(timeline["head_complete_ms"] as? Double == 0, sourceLocation: sourceLocation)
            let route = try #require(timeline["route_chosen_ms"] as? Double, sourceLocation: sourceLocation)
            #expect(route >= 0 && route <= total, sourceLocation: sourceLocation)
            let attempts = try #require(e["attempt_log"] as? [[String: Any]], sourceLocation: sourceLocation)
            var previousEnd = route
            for a in attempts {
                let start = try #require(a["start_ms"] as? Double, sourceLocation: sourceLocation)
                let end = try #require(a["end_ms"] as? Double, sourceLocation: sourceLocation)
                #expect(start >= previousEnd, "attempt starts after the previous one ended: \(attempts)", sourceLocation: sourceLocation)
                var last = start
                for key in ["connect_ms", "response_head_ms"] {
                    if let t = a[key] as? Double {
                        #expect(t >= last, "\(key) \(t) after \(last): \(a)", sourceLocation: sourceLocation)
                        last = t
                    }
                }
                #expect(end >= last && end <= total + 0.001, "end_ms \(end) within \(total): \(a)", sourceLocation: sourceLocation)
                previousEnd = end
            }
            return attempts
        }

        @Test("HTTP/1.1: a new connection's request has connect, first byte and last byte; a keep-alive one shows the connection's age")
        func http1() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            for id in ["tl-h1-a", "tl-h1-b"] {
                #expect(client.send("GET /tl HTTP/1.1\r\nHost: t\r\nX-Correlation-ID: \(id)\r\n\r\n"))
                #expect(client.readResponse()?.status == 200)
                usleep(150_000)
            }
            let first = try Self.entry(h.proxy, "tl-h1-a")
            let attempts = try Self.checkMonotonic(first)
            #expect(attempts.count == 1)
            #expect(attempts.first?["connect_ms"] is Double, "the first request opened the upstream connection: \(attempts)")
            #expect(attempts.first?["response_head_ms"] is Double)
            #expect((first["timeline"] as? [String: Any])?["mirror"] as? String == "none")
            let second = try Self.entry(h.proxy, "tl-h1-b")
            let again = try Self.checkMonotonic(second)
            #expect(again.first?["reused_connection"] as? Bool == true)
            #expect(again.first?["connect_ms"] == nil, "a pooled connection has no connect")
            let age = try #require((second["timeline"] as? [String: Any])?["connection_age_ms"] as? Double)
            #expect(age >= 150, "the keep-alive connection was accepted before the first request (\(age) ms)")
        }

        @Test("HTTP/2 client streams carry the connection's accept time and the attempt timeline")
        func http2() throws {
            let h = try Harness.start(config: { H2Configs.single(backend: $0) })
            defer { h.stop() }
            let result = try H2Client.curl(url: h.url("/tl/h2"), headers: [("X-Correlation-ID", "tl-h2")])
            H2Checks.expectHTTP2(result)
            #expect(result.status == 200)
            let e = try Self.entry(h.proxy, "tl-h2")
            let attempts = try Self.checkMonotonic(e)
            #expect(attempts.count == 1)
            #expect(attempts.first?["response_head_ms"] is Double)
            #expect(attempts.first?["connect_ms"] is Double)
        }

        @Test("an attempt sent as a stream of an HTTP/2 upstream connection: the first opens it (connect), the next shares it")
        func http2Upstream() throws {
            let upstream = try H2Upstream.start()
            defer { upstream.stop() }
            let proxy = try ProxyProcess.start(config: H2Configs.single(backend: upstream.address, clusterProtocol: "h2c"))
            defer { proxy.stop() }
            let port = try proxy.port("public")
            for id in ["tl-h2up-a", "tl-h2up-b"] {
                #expect(try Wire.get(port: port, "/tl", headers: ["X-Correlation-ID: \(id)"])?.status == 200)
            }
            let first = try Self.checkMonotonic(try Self.entry(proxy, "tl-h2up-a"))
            #expect(first.first?["connect_ms"] is Double, "\(first)")
            #expect(first.first?["response_head_ms"] is Double)
            let second = try Self.checkMonotonic(try Self.entry(proxy, "tl-h2up-b"))
            #expect(second.first?["connect_ms"] == nil)
            #expect(second.first?["reused_connection"] as? Bool == true)
        }

        @Test("a retried request shows both attempts in order; a mirrored one its mirror decision")
        func retriedAndMirrored() throws {
            let upstream = try UpstreamFixture.start(UpstreamFixture.echo)
            defer { upstream.stop() }
            let shadow = try UpstreamFixture.start(UpstreamFixture.echo)
            defer { shadow.stop() }
            let refusing = "127.0.0.1:\(try UpstreamFixture.refusingPort())"
            let proxy = try ProxyProcess.start(config: """
                workers: 1
                admin: { address: "127.0.0.1:0" }
                listeners:
                  - { name: public, address: "127.0.0.1:0" }
                routes:
                  - { name: mirrored, match: { path_prefix: "/m" }, cluster: primary, mirror: { cluster: shadow } }
                  - { name: retried, match: { path_prefix: "/" }, cluster: flaky }
                clusters:
                  - { name: flaky, endpoints: ["\(refusing)", "\(upstream.address)"] }
                  - { name: primary, endpoints: ["\(upstream.address)"] }
                  - { name: shadow, endpoints: ["\(shadow.address)"] }
                """)
            defer { proxy.stop() }
            let port = try proxy.port("public")
            for i in 0..<4 { #expect(try Wire.get(port: port, "/r/\(i)", headers: ["X-Correlation-ID: tl-retry-\(i)"])?.status == 200) }
            #expect(try Wire.get(port: port, "/m/1", headers: ["X-Correlation-ID: tl-mirror"])?.status == 200)
            var retried: [String: Any]?
            for i in 0..<4 {
                let e = try Self.entry(proxy, "tl-retry-\(i)")
                if e["attempts"] as? Int == 2 { retried = e; break }
            }
            let e = try #require(retried, "round robin over a refusing and a healthy endpoint retries some request")
            let attempts = try Self.checkMonotonic(e)
            #expect(attempts.count == 2)
            #expect(attempts.first?["outcome"] as? String == "connect_failed")
            #expect(attempts.first?["connect_ms"] == nil)
            #expect(attempts.last?["outcome"] as? String == "response")
            #expect(attempts.last?["response_head_ms"] is Double)
            let mirrored = try Self.entry(proxy, "tl-mirror")
            _ = try Self.checkMonotonic(mirrored)
            #expect((mirrored["timeline"] as? [String: Any])?["mirror"] as? String == "sent")
        }
    }
}
