import Foundation
import Testing

@testable import TracegateTestSupport

/// The scripted responses and failure modes of the origin fixture.
@Suite struct FixtureBehaviourTests {
    private func exchange(_ response: FixtureResponse, request: String = "GET / HTTP/1.1\r\nHost: a\r\n\r\n") throws -> (UpstreamFixture, RawHTTPClient) {
        let fixture = try UpstreamFixture.start { _ in response }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send(request)
        return (fixture, client)
    }

    @Test func fixedBodyHasContentLength() throws {
        let (fixture, client) = try exchange(.text("abc", status: 201).with { $0.headers.append(("X-A", "1")) })
        defer { fixture.stop() }
        let response = try #require(client.readResponse())
        #expect(response.status == 201)
        #expect(response.reason == "Created")
        #expect(response.header("content-length") == "3")
        #expect(response.header("x-a") == "1")
        #expect(response.framing == "content-length")
        #expect(response.bodyText == "abc")
    }

    @Test func customReasonAndOwnFramingHeaderAreSentAsGiven() throws {
        let response = FixtureResponse(status: 299, reason: "Odd Thing", headers: [("Content-Length", "2")], body: .bytes(Array("hi".utf8)))
        let (fixture, client) = try exchange(response)
        defer { fixture.stop() }
        let answer = try #require(client.readResponse())
        #expect(answer.rawHead.hasPrefix("HTTP/1.1 299 Odd Thing\r\n"))
        #expect(answer.headers(named: "content-length") == ["2"])
    }

    @Test func headGetsFramingButNoBody() throws {
        let (fixture, client) = try exchange(.text("twelve bytes"), request: "HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        defer { fixture.stop() }
        let head = try #require(client.readResponse(requestWasHead: true))
        #expect(head.header("content-length") == "12")
        #expect(head.bodyLength == 0)
        let get = try #require(client.readResponse())
        #expect(get.bodyText == "twelve bytes")
    }

    @Test(arguments: [204, 304])
    func noBodyStatusesHaveNoBodyAndNoLength(status: Int) throws {
        let response = FixtureResponse(status: status, body: .bytes(Array("ignored".utf8)))
        let (fixture, client) = try exchange(response, request: "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        defer { fixture.stop() }
        let first = try #require(client.readResponse())
        #expect(first.status == status)
        #expect(first.header("content-length") == nil)
        #expect(first.header("transfer-encoding") == nil)
        #expect(client.readResponse()?.status == status)
    }

    @Test func informationalHeadsPrecedeTheFinalOne() throws {
        let (fixture, client) = try exchange(.text("done").with { $0.informational = [103, 102] })
        defer { fixture.stop() }
        #expect(client.readResponse()?.status == 103)
        #expect(client.readResponse()?.status == 102)
        #expect(client.readResponse()?.bodyText == "done")
    }

    @Test func streamedChunkedBodyIsThePattern() throws {
        let size = 1_000_003
        let (fixture, client) = try exchange(.streamed(totalBytes: size, chunked: true).with { $0.trailers = [("X-T", "end")] })
        defer { fixture.stop() }
        let response = try #require(client.readResponse(timeout: .seconds(30)))
        #expect(response.framing == "chunked")
        #expect(response.header("transfer-encoding") == "chunked")
        #expect(response.bodyLength == size)
        #expect(FixturePattern.firstMismatch(in: response.body) == nil)
        #expect(response.trailer("x-t") == "end")
    }

    @Test func streamedLengthBodyIsThePattern() throws {
        let size = 200_000
        let (fixture, client) = try exchange(.streamed(totalBytes: size, chunked: false))
        defer { fixture.stop() }
        let response = try #require(client.readResponse())
        #expect(response.header("content-length") == "\(size)")
        #expect(response.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: size))
    }

    @Test func slowChunksArriveSeparatelyAndInOrder() throws {
        let chunks = [FixtureResponse.Chunk("first ", delayAfter: .milliseconds(150)), .init("second")]
        let (fixture, client) = try exchange(.chunked(chunks))
        defer { fixture.stop() }
        let start = ContinuousClock.now
        let response = try #require(client.readResponse())
        #expect(response.bodyText == "first second")
        #expect(ContinuousClock.now - start >= .milliseconds(150))
    }

    @Test func delayBeforeHeadDelaysTheAnswer() throws {
        let (fixture, client) = try exchange(.text("late").with { $0.delayBeforeHead = .milliseconds(200) })
        defer { fixture.stop() }
        let start = ContinuousClock.now
        #expect(client.readResponse()?.bodyText == "late")
        #expect(ContinuousClock.now - start >= .milliseconds(200))
    }

    @Test func closeConnectionAnnouncesAndCloses() throws {
        let (fixture, client) = try exchange(.text("bye").with { $0.closeConnection = true })
        defer { fixture.stop() }
        let response = try #require(client.readResponse())
        #expect(response.header("connection") == "close")
        #expect(client.isClosedByPeer())
    }

    @Test func closeAfterHeadSendsNoBody() throws {
        let (fixture, client) = try exchange(.text("never sent").with { $0.closeAfterHead = true })
        defer { fixture.stop() }
        #expect(client.readResponse() == nil)
        #expect(client.lastReadError?.contains("closed in body after 0 bytes") == true)
    }

    @Test func closeAfterBytesDiesMidBody() throws {
        let (fixture, client) = try exchange(.streamed(totalBytes: 100_000, chunked: false).with { $0.closeAfterBytes = 1000 })
        defer { fixture.stop() }
        #expect(client.readResponse() == nil)
        #expect(client.lastReadError == "closed in body after 1000 bytes")
    }

    @Test func resetBeforeHeadResets() throws {
        let (fixture, client) = try exchange(.reset)
        defer { fixture.stop() }
        let bytes = client.readUntilClose()
        #expect(bytes.isEmpty)
        #expect(client.lastReadError?.hasPrefix("reset") == true)
    }

    @Test func hangNeverAnswersUntilStop() throws {
        let (fixture, client) = try exchange(.hang)
        #expect(fixture.waitForRequests(count: 1))
        #expect(client.readResponse(timeout: .milliseconds(200)) == nil)
        #expect(client.lastReadError == "timed out")
        fixture.stop()
        #expect(client.isClosedByPeer(timeout: .seconds(5)))
    }

    @Test func stopInterruptsSlowResponses() throws {
        let (fixture, client) = try exchange(.text("x").with { $0.delayBeforeHead = .seconds(60) })
        #expect(fixture.waitForRequests(count: 1))
        let start = ContinuousClock.now
        fixture.stop()
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(client.isClosedByPeer(timeout: .seconds(5)))
    }

    @Test func upgradeEchoTunnelsBytes() throws {
        let (fixture, client) = try exchange(.upgradeEcho, request: "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nearly")
        defer { fixture.stop() }
        let response = try #require(client.readResponse())
        #expect(response.status == 101)
        #expect(response.header("upgrade") == "websocket")
        #expect(response.header("connection") == "Upgrade")
        client.send("-late")
        client.shutdownWrite()
        #expect(String(decoding: client.readUntilClose(), as: UTF8.self) == "early-late")
    }

    @Test func rawResponsesAreSentVerbatim() throws {
        let raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        let (fixture, client) = try exchange(.raw(raw).with { $0.closeConnection = true })
        defer { fixture.stop() }
        #expect(String(decoding: client.readUntilClose(), as: UTF8.self) == raw)
    }

    @Test func http10GetsCloseDelimitedInsteadOfChunked() throws {
        let (fixture, client) = try exchange(.chunked([.init("old "), .init("client")]), request: "GET / HTTP/1.0\r\n\r\n")
        defer { fixture.stop() }
        let response = try #require(client.readResponse())
        #expect(response.header("transfer-encoding") == nil)
        #expect(response.framing == "close")
        #expect(response.bodyText == "old client")
    }

    @Test func routesAnswerByPath() throws {
        let fixture = try UpstreamFixture.start(UpstreamFixture.routes(["/a": .text("A"), "/b": .status(202)]))
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(client.readResponse()?.bodyText == "A")
        #expect(client.readResponse()?.status == 202)
        #expect(client.readResponse()?.status == 404)
    }
}
