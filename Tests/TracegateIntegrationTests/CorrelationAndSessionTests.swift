// CorrelationAndSessionTests: X-Correlation-ID (kept, aliased, replaced, generated) and the
// session id (cookie, header, issued cookie, invalid values) as the upstream and the client see them.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct CorrelationAndSession {
        @Test(arguments: ["public", "outside"])
        func wellFormedCorrelationIdIsKeptVerbatimEverywhere(listener: String) throws {
            let h = try Harness.start()
            defer { h.stop() }
            let id = "Order-123:svc@host/v1+a=b_c.d~e"
            let result = try Curl.get(h.url("/corr", listener: listener), headers: [("X-Correlation-ID", id)])
            #expect(result.status == 200)
            #expect(result.header("X-Correlation-ID") == id)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Correlation-ID") == [id])
            #expect(AccessLogs.entry(h.proxy, correlationID: id) != nil)
        }

        @Test func requestIdAliasIsAccepted() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let id = "req-7f3a9c"
            let result = try Curl.get(h.url("/alias"), headers: [("X-Request-ID", id)])
            #expect(result.header("X-Correlation-ID") == id)
            #expect(h.lastRequest?.headers(named: "X-Correlation-ID") == [id])
        }

        @Test(arguments: [String(repeating: "a", count: 129), "has space", "quote\"inside", "semi;colon", "tab\tinside"])
        func invalidCorrelationIdIsReplacedByAGeneratedOne(sent: String) throws {
            let h = try Harness.start()
            defer { h.stop() }
            let response = try #require(try Wire.get(port: h.port, "/bad-corr", headers: ["X-Correlation-ID: \(sent)"]))
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            let generated = try #require(seen.header("X-Correlation-ID"))
            #expect(generated != sent)
            #expect(seen.headers(named: "X-Correlation-ID").count == 1)
            #expect(generated == Wire.traceparent(seen.header("traceparent"))?.traceID)
            #expect(response.header("X-Correlation-ID") == generated)
        }

        @Test func uuidGenerationMode() throws {
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: "context: { correlation: { generate: uuid } }") })
            defer { h.stop() }
            let result = try Curl.get(h.url("/uuid"))
            let id = try #require(result.header("X-Correlation-ID"))
            #expect(id.range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression) != nil,
                    "not a lowercase UUIDv4: \(id)")
            #expect(h.lastRequest?.header("X-Correlation-ID") == id)
            #expect(AccessLogs.entry(h.proxy, correlationID: id) != nil)
        }

        @Test func upstreamCorrelationHeaderIsReplacedByTheEdgeOne() throws {
            let h = try Harness.start { _ in
                FixtureResponse(status: 200, headers: [("X-Correlation-ID", "upstream-made-this"), ("traceresponse", "00-\(String(repeating: "1", count: 32))-\(String(repeating: "2", count: 16))-01")],
                                body: .bytes(Array("x".utf8)))
            }
            defer { h.stop() }
            let result = try Curl.get(h.url("/resp-corr", listener: "outside"), headers: [("X-Correlation-ID", "edge-id-1")])
            #expect(result.headers(named: "X-Correlation-ID") == ["edge-id-1"])
            #expect(result.header("traceresponse") == nil, "the upstream's traceresponse leaked to an untrusted client")
        }

        static func sessionConfig(_ backend: String, issue: Bool = false) -> String {
            Configs.standard(backend: backend, extra: "context: { session: { cookie: sid\(issue ? ", issue: true" : "") } }")
        }

        @Test func sessionFromTheConfiguredCookie() throws {
            let h = try Harness.start(config: { Self.sessionConfig($0) })
            defer { h.stop() }
            let result = try Curl.get(h.url("/s"), headers: [("Cookie", "theme=dark; sid=abc123-XYZ; other=1")])
            #expect(result.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Session-ID") == ["abc123-XYZ"])
            #expect(seen.header("baggage")?.contains("session.id=abc123-XYZ") == true, "\(seen.header("baggage") ?? "no baggage")")
            #expect(seen.header("Cookie") == "theme=dark; sid=abc123-XYZ; other=1")
            #expect(result.headers(named: "Set-Cookie").isEmpty)
            let log = AccessLogs.entry(h.proxy) { $0["session_id"] as? String == "abc123-XYZ" }
            #expect(log != nil)
        }

        @Test(arguments: ["public", "outside"])
        func sessionFromTheHeader(listener: String) throws {
            let h = try Harness.start(config: { Self.sessionConfig($0) })
            defer { h.stop() }
            _ = try Curl.get(h.url("/s", listener: listener),
                             headers: [("X-Session-ID", "hdr-session-9"), ("baggage", "session.id=forged,tenant=acme")])
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Session-ID") == ["hdr-session-9"])
            // The edge's own member is the only baggage an untrusted peer gets (no allow-list here).
            let expected = listener == "public" ? "tenant=acme,session.id=hdr-session-9" : "session.id=hdr-session-9"
            #expect(seen.headers(named: "baggage") == [expected], "a client-supplied session.id must never pass")
        }

        @Test func cookieWinsOverTheHeader() throws {
            let h = try Harness.start(config: { Self.sessionConfig($0) })
            defer { h.stop() }
            _ = try Curl.get(h.url("/s"), headers: [("Cookie", "sid=from-cookie"), ("X-Session-ID", "from-header")])
            #expect(h.lastRequest?.headers(named: "X-Session-ID") == ["from-cookie"])
        }

        @Test func issuedSessionSetsACookieWhenAbsent() throws {
            let h = try Harness.start(config: { Self.sessionConfig($0, issue: true) })
            defer { h.stop() }
            let result = try Curl.get(h.url("/issue"))
            let cookie = try #require(result.header("Set-Cookie"), "no Set-Cookie for a new session")
            let parts = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let pair = try #require(parts.first)
            #expect(pair.hasPrefix("sid="))
            let id = String(pair.dropFirst(4))
            #expect(Wire.isLowerHex(id, count: 32))
            #expect(parts.contains("HttpOnly"))
            #expect(parts.contains("SameSite=Lax"))
            #expect(parts.contains("Max-Age=1800"), "idle_expiry 30m → Max-Age=1800: \(cookie)")
            #expect(parts.contains("Path=/"))
            #expect(h.lastRequest?.headers(named: "X-Session-ID") == [id])
            #expect(h.lastRequest?.header("baggage")?.contains("session.id=\(id)") == true)
            // With the cookie back, nothing new is issued.
            let again = try Curl.get(h.url("/issue"), headers: [("Cookie", "sid=\(id)")])
            #expect(again.headers(named: "Set-Cookie").isEmpty)
            #expect(h.lastRequest?.headers(named: "X-Session-ID") == [id])
        }

        @Test(arguments: ["bad value", "semi;colon", "quote\"d", String(repeating: "s", count: 129)])
        func invalidSessionIdIsNotForwarded(sent: String) throws {
            let h = try Harness.start(config: { Self.sessionConfig($0) })
            defer { h.stop() }
            #expect(try Wire.get(port: h.port, "/s", headers: ["X-Session-ID: \(sent)"])?.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Session-ID").isEmpty, "invalid session id forwarded: \(seen.rawHead)")
            #expect(seen.header("baggage")?.contains("session.id") != true)
        }
    }
}
