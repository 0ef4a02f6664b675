import Foundation
import Testing

@testable import TracegateTestSupport

/// `h2_upstream.py` driven directly by real HTTP/2 clients (curl, nghttp, h2load), no proxy:
/// the fixture the HTTP/2 integration tests will put behind the proxy must itself be right.
@Suite struct H2UpstreamTests {
    @Test func curlPriorKnowledgeGetsTheEchoAndTheRequestIsRecorded() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let result = try H2Client.curl(url: upstream.url("/hello?q=1"), headers: [("X-Test", "yes"), ("X-Multi", "a"), ("X-Multi", "b")])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        #expect(result.version == "HTTP/2")
        #expect(result.writeOut == "2")
        #expect(result.header("content-type") == "application/json")
        let json = try #require(result.json)
        #expect(json["method"] as? String == "GET")
        #expect(json["path"] as? String == "/hello?q=1")
        #expect(json["authority"] as? String == upstream.address)
        let headers = try #require(json["headers"] as? [String: Any])
        #expect(headers["x-test"] as? String == "yes")
        #expect(headers["x-multi"] as? [String] == ["a", "b"])
        // Printed before the response was sent: the wait returns as soon as the pipe is read.
        let request = try #require(try upstream.waitForRequests(count: 1).first)
        #expect(request.method == "GET")
        #expect(request.path == "/hello?q=1")
        #expect(request.authority == upstream.address)
        #expect(request.scheme == "http")
        #expect(request.header(":method") == "GET")
        #expect(request.headers(named: "x-multi") == ["a", "b"])
        #expect(request.header("user-agent")?.hasPrefix("curl/") == true)
        #expect(request.complete)
        #expect(request.resetCode == nil)
        #expect(!request.tls)
        #expect(request.alpn == nil)
        #expect(request.connection == 1)
        #expect(request.streamID == 1)
        #expect(upstream.acceptedConnections == 1)
        #expect(try upstream.protocolErrors().isEmpty)
        #expect(upstream.stop() == 0)
    }

    @Test func nghttpSeesTrailersInTheFrameLog() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let result = try H2Client.nghttp(url: upstream.url("/trailers"))
        #expect(result.allRequestsProcessed, "\(result.output)")
        #expect(result.status() == 200)
        #expect(result.trailer("x-trailer-check") == "ok")
        let checksum = try #require(result.trailer("X-Checksum"))
        #expect(checksum.hasPrefix("sha256=") && checksum.count == "sha256=".count + 64)
        // The trailer block is its own HEADERS frame carrying END_STREAM, after the DATA.
        let stream = try #require(result.requestStreamIDs.first)
        let last = try #require(result.frames.last { $0.direction == .received && $0.streamID == stream })
        #expect(last.type == "HEADERS")
        #expect(last.endStream)
        #expect(result.receivedDataBytes() > 0)
        #expect(result.serverSettings["SETTINGS_MAX_CONCURRENT_STREAMS"] == 100)
    }

    @Test func oneMebibyteArrivesCompleteWithinFlowControl() throws {
        let size = 1_048_576
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        // nghttp's default stream window is 64 KiB - 1: the fixture must wait for WINDOW_UPDATEs.
        let frames = try H2Client.nghttp(url: upstream.url("/bytes/\(size)"))
        #expect(frames.allRequestsProcessed, "\(frames.output.suffix(2000))")
        #expect(frames.status() == 200)
        #expect(frames.responseHeader("content-length") == String(size))
        #expect(frames.receivedDataBytes() == size)
        #expect(frames.responseComplete())
        #expect(frames.received("DATA").allSatisfy { $0.length <= 16_384 })
        let curl = try H2Client.curl(url: upstream.url("/bytes/\(size)"))
        #expect(curl.exitCode == 0, "\(curl.stderr)")
        #expect(curl.body.count == size)
        #expect(FixturePattern.firstMismatch(in: curl.body) == nil)
    }

    @Test func statusResetAndDelayRoutes() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let teapot = try H2Client.curl(url: upstream.url("/status/418"))
        #expect(teapot.status == 418)
        #expect(teapot.bodyText == "418\n")
        let empty = try H2Client.curl(url: upstream.url("/status/204"))
        #expect(empty.status == 204)
        #expect(empty.body.isEmpty)

        let reset = try H2Client.nghttp(url: upstream.url("/reset/REFUSED_STREAM"))
        #expect(!reset.allRequestsProcessed)
        #expect(reset.received("RST_STREAM").first?.errorCode == "REFUSED_STREAM")
        let defaultReset = try H2Client.nghttp(url: upstream.url("/reset"))
        #expect(defaultReset.received("RST_STREAM").first?.errorCode == "INTERNAL_ERROR")

        // Two streams on one connection: the delayed one must not hold back the other.
        let both = try H2Client.nghttp(urls: [upstream.url("/delay/600"), upstream.url("/fast")])
        #expect(both.allRequestsProcessed)
        let ids = both.requestStreamIDs
        #expect(ids.count == 2)
        let order = both.frames.filter { $0.direction == .received && $0.endStream }.map(\.streamID)
        #expect(order == [ids[1], ids[0]])
        let requests = try upstream.waitForRequests(count: 6)
        #expect(Set(requests.filter { $0.path == "/delay/600" || $0.path == "/fast" }.map(\.connection)).count == 1)
    }

    @Test func echoStreamsAnUploadBackWithFlowControlBothWays() throws {
        let size = 3 << 20
        // A 16 KiB window: curl must wait for the fixture's WINDOW_UPDATEs, which it sends
        // only once the echoed bytes were written back.
        let upstream = try H2Upstream.start(initialWindowSize: 16_384)
        defer { upstream.stop() }
        let directory = try TempDir(prefix: "h2echo")
        let file = try directory.writePattern("upload", totalBytes: size)
        let result = try H2Client.curl(url: upstream.url("/echo"), bodyFile: file, timeout: .seconds(60))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        #expect(result.body.count == size)
        #expect(FixturePattern.firstMismatch(in: result.body) == nil)
        let request = try #require(try upstream.waitForRequests(count: 1).first)
        #expect(request.method == "POST")
        #expect(request.bodyLength == size)
        #expect(request.bodyIsPattern)
        #expect(request.complete)
    }

    @Test func maxConcurrentStreamsIsAdvertisedAndEnforced() throws {
        let upstream = try H2Upstream.start(maxConcurrentStreams: 2)
        defer { upstream.stop() }
        // stream-limit reads the SETTINGS (limit 2), then opens 6 streams at once anyway.
        let flood = try H2Flood.run(target: upstream.address, mode: .streamLimit, count: 6, path: "/delay/200")
        #expect(flood.serverSettings?["SETTINGS_MAX_CONCURRENT_STREAMS"] == 2)
        #expect(flood.responses == ["200": 2])
        #expect(flood.streamsResetByServer == ["REFUSED_STREAM": 4])
        #expect(upstream.waitForRefusedStreams(count: 4))
        let refused = try upstream.refusedStreams()
        #expect(refused.count == 4)
        #expect(refused.allSatisfy { $0.reason == "max_concurrent_streams" && $0.openStreams == 3 })
        let requests = try upstream.waitForRequests(count: 2)
        #expect(requests.map(\.openStreams).max() == 2)
        // A client that respects the limit gets everything done on one connection.
        let frames = try H2Client.nghttp(url: upstream.url("/"))
        #expect(frames.serverSettings["SETTINGS_MAX_CONCURRENT_STREAMS"] == 2)
    }

    @Test func goawayAfterAnsweringRefusesLaterStreams() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let result = try H2Flood.run(target: upstream.address, mode: .benign, count: 1, path: "/goaway")
        #expect(result.responses == ["200": 1])
        #expect(result.goawayReceived)
        #expect(result.goawayErrorName == "NO_ERROR")
        #expect(result.goawayLastStreamID == 1)
        #expect(result.goawayDebugData == "goaway requested")
        #expect(result.serverClosed)
        #expect(try upstream.waitForRequests(count: 1).count == 1)
    }

    @Test func h2loadShortRun() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let result = try H2Client.h2load(url: upstream.url("/"), requests: 200, clients: 2, streams: 10)
        #expect(result.applicationProtocol == "h2c")
        #expect(result.total == 200)
        #expect(result.succeeded == 200, "\(result.output)")
        #expect(result.failed == 0)
        #expect(result.errored == 0)
        #expect(result.statusClasses["2xx"] == 200)
        #expect(result.requestsPerSecond > 0)
        let requests = try upstream.waitForRequests(count: 200)
        #expect(Set(requests.map(\.connection)).count == 2)
        #expect(requests.map(\.openStreams).max() ?? 0 <= 10)
    }

    @Test func tlsWithALPNh2AndCurlCACert() throws {
        let certificate = try TestCertificate.selfSigned()
        let upstream = try H2Upstream.start(tls: certificate)
        defer { upstream.stop() }
        #expect(upstream.url("/x").hasPrefix("https://127.0.0.1:"))
        let result = try H2Client.curl(url: upstream.url("/x"), caCertificate: certificate.certificatePath)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        #expect(result.writeOut == "2")
        let request = try #require(try upstream.waitForRequests(count: 1).first)
        #expect(request.tls)
        #expect(request.alpn == "h2")
        #expect(request.scheme == "https")
        // A client offering only http/1.1 is turned away: the fixture speaks nothing but h2.
        let http1 = try Curl.request(url: upstream.url("/x"), extraArguments: ["--cacert", certificate.certificatePath])
        #expect(http1.status == 0)
        #expect(upstream.waitForProtocolErrors(count: 1))
        #expect(try upstream.protocolErrors().contains { $0.contains("ALPN") })
    }

    @Test func aMissingPythonModuleIsAFailureNamingThePackage() throws {
        let directory = try TempDir(prefix: "h2missing")
        let script = try directory.write("fake.py", """
            import sys
            print("missing-python-module h2 h2 (No module named 'h2')", file=sys.stderr, flush=True)
            sys.exit(3)
            """)
        do {
            _ = try H2Upstream.start(script: script)
            Issue.record("started without the module")
        } catch {
            guard case .pythonModuleMissing(let module, let package) = error else { Issue.record("unexpected \(error)"); return }
            #expect(module == "h2")
            #expect(package == "h2")
        }
    }
}
