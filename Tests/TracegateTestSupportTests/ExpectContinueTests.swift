import Foundation
import Testing

@testable import TracegateTestSupport

/// `Expect: 100-continue` handling of the origin fixture (RFC 9110 §10.1.1).
@Suite struct ExpectContinueTests {
    private let head = "POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"

    @Test func sendsContinueBeforeReadingTheBody() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send(head)
        let interim = try #require(client.readResponse())
        #expect(interim.status == 100)
        #expect(fixture.requests.isEmpty)
        client.send("hello")
        let final = try #require(client.readResponse())
        #expect(final.status == 200)
        #expect(final.json?["body_length"] as? Int == 5)
        #expect(fixture.requests.count == 1)
        #expect(fixture.requests.first?.isAwaitingContinue == false)
    }

    @Test func handlerSeesThePreliminaryCallFirst() throws {
        let calls = Monitor([Bool]())
        let fixture = try UpstreamFixture.start { request in
            calls.update { $0.append(request.isAwaitingContinue) }
            return .text("ok")
        }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send(head)
        #expect(client.readResponse()?.status == 100)
        client.send("hello")
        #expect(client.readResponse()?.bodyText == "ok")
        #expect(calls.read { $0 } == [true, false])
    }

    @Test func rejectExpectAnswersWithoutReadingTheBody() throws {
        let fixture = try UpstreamFixture.start { _ in FixtureResponse.text("unused").with { $0.rejectExpect = 417 } }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send(head)
        let response = try #require(client.readResponse())
        #expect(response.status == 417)
        #expect(response.announcesClose)
        #expect(response.bodyLength == 0)
        #expect(client.isClosedByPeer())
        let request = try #require(fixture.requests.first)
        #expect(request.bodyLength == 0)
        #expect(!request.isBodyComplete)
    }

    @Test func sendContinueFalseReadsTheBodyWithoutInterim() throws {
        let fixture = try UpstreamFixture.start { request in
            request.isAwaitingContinue ? FixtureResponse().with { $0.sendContinue = false } : UpstreamFixture.echo(request)
        }
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send(head + "hello")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.json?["body_length"] as? Int == 5)
    }

    @Test func http10ExpectationIsIgnored() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let client = try RawHTTPClient.connect(port: fixture.port)
        client.send("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
        #expect(client.readResponse()?.status == 200)
        #expect(fixture.requests.first?.expectsContinue == false)
    }

    @Test func curlWaitsForContinue() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let result = try Curl.request(
            url: "http://\(fixture.address)/c", method: "POST",
            headers: [("Expect", "100-continue")], body: Data("payload".utf8))
        #expect(result.exitCode == 0)
        #expect(result.status == 200)
        #expect(result.informational == [100])
        #expect(fixture.requests.first?.bodyText == "payload")
    }
}
