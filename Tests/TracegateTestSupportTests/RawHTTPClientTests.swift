import Foundation
import Testing

@testable import TracegateTestSupport

/// The raw client on its own: source binding and response parsing edge cases.
@Suite struct RawHTTPClientTests {
    @Test func bindsTheSourceAddress() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port, from: "127.0.0.2")
        #expect(client.localAddress.hasPrefix("127.0.0.2:"))
        client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        #expect(fixture.requests.first?.peerAddress.hasPrefix("127.0.0.2:") == true)
    }

    @Test func rejectsAnUnusableSourceAddress() {
        #expect(throws: TestSupportError.self) {
            try RawHTTPClient.connect(port: 1, from: "not-an-address")
        }
    }

    @Test func readsAChunkedStreamKeepingOnlyTheFingerprintPastTheLimit() throws {
        let size = 5 << 20
        let fixture = try UpstreamFixture.start { _ in .streamed(totalBytes: size, chunked: true) }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        let answer = client.readResponse(timeout: .seconds(60), keepBodyUpTo: 1 << 20)
        let response = try #require(answer, "\(client.lastReadError ?? "")")
        #expect(response.bodyLength == size)
        #expect(!response.isBodyKept)
        #expect(response.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: size))
    }

    @Test func readsCloseDelimitedBodies() throws {
        let fixture = try UpstreamFixture.start { _ in
            .raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
        }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        // The raw answer keeps the connection open (no closeConnection); only stop() ends it.
        #expect(client.readResponse(timeout: .milliseconds(300)) == nil)
        #expect(client.lastReadError?.hasPrefix("timed out in body") == true)
    }

    @Test func readsCloseDelimitedBodiesToTheEnd() throws {
        let fixture = try UpstreamFixture.start { _ in
            FixtureResponse.raw("HTTP/1.1 200 OK\r\n\r\nuntil the end").with { $0.closeConnection = true }
        }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.framing == "close")
        #expect(response.bodyText == "until the end")
    }

    @Test(arguments: [
        ("garbage\r\n\r\n", "bad status line"),
        ("HTTP/1.1 abc OK\r\n\r\n", "bad status line"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", "bad content-length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", "bad chunk size"),
        ("HTTP/1.1 200 OK\r\nBroken", "closed mid-head"),
    ])
    func reportsBrokenResponses(raw: String, error: String) throws {
        let fixture = try UpstreamFixture.start { _ in FixtureResponse.raw(raw).with { $0.closeConnection = true } }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(client.readResponse() == nil)
        #expect(client.lastReadError?.contains(error) == true, "got \(client.lastReadError ?? "nil")")
    }

    @Test func isClosedByPeerIsFalseWhileOpen() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        #expect(!client.isClosedByPeer(timeout: .milliseconds(100)))
    }

    @Test func clientResetIsSeenByTheFixture() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        #expect(fixture.waitForConnections(count: 1))
        client.reset()
        #expect(fixture.waitForOpenConnections(atMost: 0))
        #expect(!client.send("x"))
    }

    @Test func slowlorisHeadIsAssembled() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        for byte in Array("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".utf8) { client.send([byte]) }
        #expect(client.readResponse()?.json?["path"] as? String == "/slow")
    }
}
