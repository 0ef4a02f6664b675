import Foundation
import Testing

@testable import TracegateTestSupport

/// curl against the origin fixture: the real-client path the integration tests use.
@Suite struct CurlTests {
    @Test func curlGetsTheEcho() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let result = try Curl.request(url: "http://\(fixture.address)/echo?q=1", headers: [("X-Test", "yes"), ("X-Empty", "")])
        #expect(result.exitCode == 0)
        #expect(result.status == 200)
        #expect(result.version == "HTTP/1.1")
        #expect(result.header("Content-Type") == "application/json")
        let json = try #require(result.json)
        #expect(json["method"] as? String == "GET")
        #expect(json["path"] as? String == "/echo?q=1")
        let headers = try #require(json["headers"] as? [String: Any])
        #expect(headers["x-test"] as? String == "yes")
        #expect(headers["x-empty"] as? String == "")
        #expect(fixture.requests.first?.header("user-agent")?.hasPrefix("curl/") == true)
    }

    @Test func curlPostsBodiesFromMemoryAndFiles() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let memory = try Curl.request(url: "http://\(fixture.address)/m", method: "PUT", body: Data("abc".utf8))
        #expect(memory.json?["method"] as? String == "PUT")
        #expect(memory.json?["body_length"] as? Int == 3)
        let directory = try TempDir()
        let file = try directory.writePattern("upload", totalBytes: 300_000)
        let upload = try Curl.request(url: "http://\(fixture.address)/f", bodyFile: file, extraArguments: ["-H", "Expect:"])
        #expect(upload.json?["body_length"] as? Int == 300_000)
        #expect(fixture.requests.last?.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: 300_000))
    }

    @Test func curlHeadAndNoContent() throws {
        let fixture = try UpstreamFixture.start { request in
            request.path == "/none" ? .status(204) : .text("body")
        }
        defer { fixture.stop() }
        let head = try Curl.request(url: "http://\(fixture.address)/", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("content-length") == "4")
        #expect(head.body.isEmpty)
        let none = try Curl.get("http://\(fixture.address)/none")
        #expect(none.status == 204)
        #expect(none.body.isEmpty)
    }

    @Test func curlDownloads64MiBStreamedChunked() throws {
        let size = 64 << 20
        let fixture = try UpstreamFixture.start { _ in .streamed(totalBytes: size, chunked: true) }
        defer { fixture.stop() }
        let result = try Curl.request(url: "http://\(fixture.address)/big", timeout: .seconds(120))
        #expect(result.exitCode == 0)
        #expect(result.header("transfer-encoding") == "chunked")
        #expect(result.body.count == size)
        #expect(FixturePattern.firstMismatch(in: result.body.prefix(1 << 20)) == nil)
        #expect(FixturePattern.firstMismatch(in: result.body.suffix(1 << 20), from: size - (1 << 20)) == nil)
    }

    @Test func curlReportsTrailersAndInformational() throws {
        let fixture = try UpstreamFixture.start { _ in
            FixtureResponse.chunked([.init("a"), .init("b")], trailers: [("X-Sum", "2")]).with { $0.informational = [103] }
        }
        defer { fixture.stop() }
        let result = try Curl.get("http://\(fixture.address)/")
        #expect(result.bodyText == "ab")
        #expect(result.informational == [103])
        #expect(result.trailers.first { $0.name.lowercased() == "x-sum" }?.value == "2")
    }

    @Test func curlBindsToAnotherLoopbackAddress() throws {
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let result = try Curl.get("http://\(fixture.address)/", interface: "127.0.0.2")
        #expect(result.status == 200)
        #expect(fixture.requests.first?.peerAddress.hasPrefix("127.0.0.2:") == true)
    }

    @Test func curlFailureIsReportedNotThrown() throws {
        let port = try UpstreamFixture.refusingPort()
        let result = try Curl.get("http://127.0.0.1:\(port)/")
        #expect(result.exitCode == 7)
        #expect(result.status == 0)
        #expect(result.stderr.contains("Failed to connect") || result.stderr.contains("refused"))
    }

    @Test func curlSeesAResetAsAnError() throws {
        let fixture = try UpstreamFixture.start { _ in .reset }
        defer { fixture.stop() }
        let result = try Curl.get("http://\(fixture.address)/")
        #expect(result.exitCode != 0)
        #expect(result.status == 0)
    }

    @Test func headerDumpParsing() {
        let dump = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\nX-Trailer: t\r\n\r\n"
        let parsed = Curl.parseHeaderDump(Array(dump.utf8))
        #expect(parsed.status == 200)
        #expect(parsed.version == "HTTP/1.1")
        #expect(parsed.informational == [100])
        #expect(parsed.headers.map(\.name) == ["A", "B"])
        #expect(parsed.trailers.map(\.value) == ["t"])
        let empty = Curl.parseHeaderDump([])
        #expect(empty.status == 0)
        #expect(empty.headers.isEmpty)
    }
}
