import Foundation
import Testing

@testable import TracegateTestSupport

/// The origin fixture driven by the raw client: framing, keep-alive, recording.
@Suite struct UpstreamFixtureTests {
    @Test func echoAnswersWithTheRequestShape() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET /hello?x=1 HTTP/1.1\r\nHost: a\r\nX-Multi: one\r\nx-multi: two\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let json = try #require(response.json)
        #expect(json["method"] as? String == "GET")
        #expect(json["path"] as? String == "/hello?x=1")
        #expect(json["body_length"] as? Int == 0)
        let headers = try #require(json["headers"] as? [String: Any])
        #expect(headers["host"] as? String == "a")
        #expect(headers["x-multi"] as? [String] == ["one", "two"])
    }

    @Test func recordsOrderedHeadersAndRawHead() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET /r HTTP/1.1\r\nHost: h\r\nB: 2\r\nA: 1\r\nb:  3 \r\n\r\n")
        _ = try #require(client.readResponse())
        let request = try #require(fixture.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/r")
        #expect(request.path == "/r")
        #expect(request.version == "HTTP/1.1")
        #expect(request.headers.map(\.name) == ["Host", "B", "A", "b"])
        #expect(request.header("b") == "2")
        #expect(request.headers(named: "B") == ["2", "3"])
        #expect(request.header("missing") == nil)
        #expect(request.rawHead == "GET /r HTTP/1.1\r\nHost: h\r\nB: 2\r\nA: 1\r\nb:  3 \r\n\r\n")
        #expect(request.peerAddress.hasPrefix("127.0.0.1:"))
    }

    @Test func keepsConnectionsAliveAndServesPipelinedRequests() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(client.readResponse()?.json?["path"] as? String == "/1")
        #expect(client.readResponse()?.json?["path"] as? String == "/2")
        client.send("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(client.readResponse()?.json?["path"] as? String == "/3")
        #expect(fixture.acceptedConnections == 1)
        #expect(fixture.requests.map(\.sequenceOnConnection) == [1, 2, 3])
        #expect(fixture.requests.allSatisfy { $0.connectionNumber == 1 })
    }

    @Test func readsContentLengthBodies() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world")
        let response = try #require(client.readResponse())
        #expect(response.json?["body_length"] as? Int == 11)
        let request = try #require(fixture.requests.first)
        #expect(request.bodyText == "hello world")
        #expect(request.isBodyKept && request.isBodyComplete)
        #expect(request.bodyFNV1a64 == FNV1a64.hash(Array("hello world".utf8)))
    }

    @Test func dechunksRequestBodiesAndRecordsTrailers() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.json?["body_length"] as? Int == 11)
        let request = try #require(fixture.requests.first)
        #expect(request.bodyText == "hello world")
        #expect(request.trailer("x-checksum") == "abc")
        #expect(request.trailers.count == 2)
    }

    @Test func streamsLargeUploadsWithoutKeepingThem() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let size = 3 << 20
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n")
        #expect(client.sendPattern(totalBytes: size))
        let response = try #require(client.readResponse(timeout: .seconds(60)))
        #expect(response.json?["body_length"] as? Int == size)
        let request = try #require(fixture.requests.first)
        #expect(request.bodyLength == size)
        #expect(!request.isBodyKept)
        #expect(request.body.isEmpty)
        #expect(request.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: size))
    }

    @Test func keepsBodiesJustBelowOneMebibyte() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let size = FixtureRequest.keptBodyLimit - 1
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("PUT /edge HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n")
        client.sendPattern(totalBytes: size)
        _ = try #require(client.readResponse(timeout: .seconds(30)))
        let request = try #require(fixture.requests.first)
        #expect(request.isBodyKept)
        #expect(request.body.count == size)
        #expect(FixturePattern.firstMismatch(in: request.body) == nil)
    }

    @Test func recordsTruncatedBodiesWhenThePeerCloses() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("POST /t HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly-this")
        client.close()
        #expect(fixture.waitForRequests(count: 1))
        let request = try #require(fixture.requests.first)
        #expect(!request.isBodyComplete)
        #expect(request.bodyLength == 9)
    }

    @Test(arguments: [
        ("Transfer-Encoding: gzip\r\n", "transfer-encoding"),
        ("Content-Length: 5\r\nContent-Length: 6\r\n", "content-length"),
        ("Content-Length: -1\r\n", "content-length"),
        ("Content-Length: 1x\r\n", "content-length"),
    ])
    func rejectsInvalidRequestFraming(header: String, reason: String) throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("POST /x HTTP/1.1\r\nHost: a\r\n\(header)\r\nhello")
        let response = try #require(client.readResponse())
        #expect(response.status == 400)
        #expect(response.announcesClose)
        #expect(client.isClosedByPeer())
        #expect(fixture.requests.isEmpty)
        #expect(fixture.protocolErrors.count == 1)
        #expect(fixture.protocolErrors.first?.contains(reason) == true)
    }

    @Test func rejectsBadChunkSizes() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
        #expect(client.readResponse()?.status == 400)
        #expect(fixture.protocolErrors.first?.contains("chunk size") == true)
    }

    @Test func answersOversizedHeadsWith431() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 70_000) + "\r\n\r\n")
        #expect(client.readResponse()?.status == 431)
    }

    @Test func http10WithoutKeepAliveIsClosed() throws {
        let fixture = try UpstreamFixture.start { _ in .text("old") }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.0\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.bodyText == "old")
        #expect(response.announcesClose)
        #expect(client.isClosedByPeer())
    }

    @Test func requestConnectionCloseIsHonoured() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(client.readResponse()?.announcesClose == true)
        #expect(client.isClosedByPeer())
    }

    @Test func refusingPortRefuses() throws {
        let port = try UpstreamFixture.refusingPort()
        #expect(port > 0)
        #expect(throws: TestSupportError.self) { try RawHTTPClient.connect(port: port) }
        do {
            _ = try RawHTTPClient.connect(port: port)
        } catch {
            guard case .socket(_, let code) = error else { Issue.record("unexpected \(error)"); return }
            #expect(code == ECONNREFUSED)
        }
    }

    @Test func stopClosesLiveConnectionsAndIsIdempotent() throws {
        let fixture = try UpstreamFixture.start()
        let client = try RawHTTPClient.connect(port: fixture.port)
        #expect(fixture.waitForConnections(count: 1))
        #expect(fixture.openConnections == 1)
        fixture.stop()
        #expect(client.isClosedByPeer(timeout: .seconds(5)))
        fixture.stop()
        #expect(throws: TestSupportError.self) { try RawHTTPClient.connect(port: fixture.port) }
    }

    @Test func releasingAFixtureStopsIt() throws {
        var port = 0
        var client: RawHTTPClient?
        do {
            let fixture = try UpstreamFixture.start()
            port = fixture.port
            client = try RawHTTPClient.connect(port: port)
            #expect(fixture.waitForConnections(count: 1))
        }
        #expect(client?.isClosedByPeer(timeout: .seconds(5)) == true)
        #expect(throws: TestSupportError.self) { try RawHTTPClient.connect(port: port) }
    }

    @Test func waitForRequestsTimesOut() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        #expect(!fixture.waitForRequests(count: 1, timeout: .milliseconds(100)))
        #expect(fixture.requests.isEmpty)
    }

    @Test func openConnectionCountFollowsClients() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        #expect(fixture.waitForConnections(count: 1))
        client.close()
        #expect(fixture.waitForOpenConnections(atMost: 0))
        #expect(fixture.acceptedConnections == 1)
    }
}
