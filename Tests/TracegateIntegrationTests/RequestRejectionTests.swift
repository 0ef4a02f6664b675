// RequestRejectionTests: requests Tracegate refuses itself — malformed and smuggling-shaped heads
// (RFC 9112 §2.2, §5.2, §6.1, §6.3, §7.1, §11.2), size limits (414, 431), the header read timeout
// (408) and the connection limit (503) — each closed, answered in JSON, and counted.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct RequestRejections {
        /// One request shape the proxy must refuse with 400 and close, and the code it answers with.
        struct Shape: Sendable, CustomTestStringConvertible {
            var name: String
            var bytes: String
            var code: String
            var testDescription: String { name }
        }

        /// Each one, parsed leniently, would smuggle `GET /smuggled` to the upstream.
        static let smuggling: [Shape] = [
            Shape(name: "CL and TE together",
                  bytes: "POST /api HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
                  code: "content_length_with_transfer_encoding"),
            Shape(name: "two differing Content-Length",
                  bytes: "POST /api HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 38\r\n\r\n"
                      + "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
                  code: "conflicting_content_length"),
            Shape(name: "invalid chunk size",
                  bytes: "POST /api HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "zz\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
                  code: "invalid_chunk_size"),
            Shape(name: "obs-fold",
                  bytes: "GET /api HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
                  code: "obs_fold"),
            Shape(name: "bare LF",
                  bytes: "GET /api HTTP/1.1\nHost: t\nX-A: 1\n\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
                  code: "bare_line_feed"),
        ]

        static let malformed: [Shape] = [
            Shape(name: "garbage request line", bytes: "THIS IS NOT HTTP\r\n\r\n", code: "invalid_target"),
            Shape(name: "request line without version", bytes: "GET /\r\nHost: t\r\n\r\n", code: "malformed_request_line"),
            Shape(name: "field without colon", bytes: "GET / HTTP/1.1\r\nHost: t\r\nNoColonHere\r\n\r\n", code: "invalid_header_name"),
            Shape(name: "missing Host", bytes: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", code: "missing_host"),
        ]

        static func refuse(_ shape: Shape, expectStatus status: Int = 400) throws {
            let h = try Harness.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send(shape.bytes))
            let response = client.readResponse()
            ProxyErrors.check(response, status: status, code: shape.code)
            #expect(response?.announcesClose == true, "no Connection: close on \(shape.name)")
            ProxyErrors.expectClosed(client)
            #expect(!h.upstream.requests.contains { $0.path == "/smuggled" }, "\(shape.name) smuggled a request")
            #expect(!h.upstream.requests.contains { $0.isBodyComplete && $0.method == "POST" }, "\(shape.name) was forwarded")
            try ProxyErrors.expectCounted(h.proxy, code: shape.code)
        }

        @Test(arguments: smuggling)
        func smugglingShapeIsRefusedAndClosed(_ shape: Shape) throws {
            try Self.refuse(shape)
        }

        @Test(arguments: malformed)
        func malformedRequestIsRefusedAndClosed(_ shape: Shape) throws {
            try Self.refuse(shape)
        }

        @Test func hugeHeaderIs431() throws {
            let big = String(repeating: "h", count: 70_000)
            try Self.refuse(Shape(name: "huge header", bytes: "GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(big)\r\n\r\n",
                                  code: "headers_too_large"), expectStatus: 431)
        }

        @Test func longURIIs414() throws {
            let long = "/" + String(repeating: "u", count: 9000)
            try Self.refuse(Shape(name: "long URI", bytes: "GET \(long) HTTP/1.1\r\nHost: t\r\n\r\n", code: "uri_too_long"),
                            expectStatus: 414)
        }

        @Test func partialHeadTimesOutWith408() throws {
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: "timeouts: { header_read: 300ms }") })
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            let clock = ContinuousClock()
            let started = clock.now
            #expect(client.send("GET /slowloris HTTP/1.1\r\nHost: t\r\nX-Partial: "))
            let response = client.readResponse(timeout: .seconds(5))
            let elapsed = clock.now - started
            let id = ProxyErrors.check(response, status: 408, code: "header_read_timeout")
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(3), "408 after \(elapsed)")
            #expect(response?.announcesClose == true)
            ProxyErrors.expectClosed(client)
            #expect(h.upstream.requests.isEmpty)
            ProxyErrors.expectLogged(h.proxy, correlationID: id, status: 408, code: "header_read_timeout")
            try ProxyErrors.expectCounted(h.proxy, code: "header_read_timeout")
        }

        @Test func connectionsOverTheLimitGet503() throws {
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: "limits: { max_connections: 2 }") })
            defer { h.stop() }
            let first = try RawHTTPClient.connect(port: h.port)
            defer { first.close() }
            let second = try RawHTTPClient.connect(port: h.port)
            defer { second.close() }
            for client in [first, second] {
                #expect(client.send("GET /held HTTP/1.1\r\nHost: t\r\n\r\n"))
                #expect(client.readResponse()?.status == 200)
            }
            let third = try RawHTTPClient.connect(port: h.port)
            defer { third.close() }
            third.send("GET /third HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = third.readResponse()
            ProxyErrors.check(response, status: 503, code: "too_many_connections")
            ProxyErrors.expectClosed(third)
            #expect(!h.upstream.requests.contains { $0.target == "/third" })
            let metrics = try Admin.metrics(h.proxy) { ($0.value("tracegate_connections_rejected_total") ?? 0) >= 1 }
            #expect((metrics.value("tracegate_connections_rejected_total") ?? 0) >= 1)
            // The held connections still work.
            #expect(first.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(first.readResponse()?.status == 200)
        }
    }
}
