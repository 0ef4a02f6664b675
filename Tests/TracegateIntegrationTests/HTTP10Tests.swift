// HTTP10Tests: HTTP/1.0 clients behind an HTTP/1.1 upstream (RFC 9112 §6.3, RFC 9110 §15.2).
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct HTTP10Clients {
        /// A chunked upstream body reaches an HTTP/1.0 client de-chunked and delimited by close.
        @Test func chunkedUpstreamBodyIsDechunkedForAnHTTP10Client() throws {
            let size = 300_001
            let h = try Harness.start { _ in .streamed(totalBytes: size, chunked: true) }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /download HTTP/1.0\r\nHost: t\r\n\r\n"))
            let response = try #require(client.readResponse(timeout: .seconds(10)))
            #expect(response.status == 200)
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.framing == "close")
            #expect(response.bodyLength == size)
            #expect(response.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: size))
        }

        /// No 1xx to an HTTP/1.0 client, and keep-alive only when asked for, announced back.
        @Test func informationalIsWithheldAndKeepAliveIsAnnounced() throws {
            let h = try Harness.start { _ in FixtureResponse.text("ok").with { $0.informational = [103] } }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /a HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n"))
            let first = try #require(client.readResponse(timeout: .seconds(5)))
            #expect(first.status == 200, "a 1xx reached an HTTP/1.0 client")
            #expect(first.header("Connection")?.lowercased() == "keep-alive")
            #expect(client.send("GET /b HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n"))
            let second = try #require(client.readResponse(timeout: .seconds(5)))
            #expect(second.status == 200)
        }

        /// An HTTP/1.0 request without Host still reaches the upstream with one (HTTP/1.1 requires it).
        @Test func hostIsAddedForAnHTTP10RequestWithoutOne() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /nohost HTTP/1.0\r\n\r\n"))
            let response = try #require(client.readResponse(timeout: .seconds(5)))
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.header("Host") == h.upstream.address)
        }
    }
}
