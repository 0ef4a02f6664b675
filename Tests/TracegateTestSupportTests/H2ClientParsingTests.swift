import Foundation
import Testing

@testable import TracegateTestSupport

/// The parsers behind `H2Client`, on output captured from nghttp2 1.52's nghttp and h2load, so
/// their edge cases (fields printed before their frame, 1xx blocks, trailers, error codes) are
/// pinned without a server.
@Suite struct H2ClientParsingTests {
    static let log = """
        [  0.005] Connected
        [  0.005] recv SETTINGS frame <length=12, flags=0x00, stream_id=0>
                  (niv=2)
                  [SETTINGS_MAX_CONCURRENT_STREAMS(0x03):2]
                  [SETTINGS_MAX_HEADER_LIST_SIZE(0x06):65536]
        [  0.005] send SETTINGS frame <length=0, flags=0x01, stream_id=0>
                  ; ACK
                  (niv=0)
        [  0.005] send HEADERS frame <length=50, flags=0x25, stream_id=13>
                  ; END_STREAM | END_HEADERS | PRIORITY
                  (padlen=0, dep_stream_id=11, weight=16, exclusive=0)
                  ; Open new stream
                  :method: GET
                  :path: /trailers
                  x-empty:
        [  0.006] send HEADERS frame <length=20, flags=0x25, stream_id=15>
                  ; END_STREAM | END_HEADERS | PRIORITY
                  ; Open new stream
                  :method: GET
                  :path: /reset
        [  0.016] recv (stream_id=13) :status: 103
        [  0.016] recv (stream_id=13) link: </a.css>; rel=preload
        [  0.016] recv HEADERS frame <length=9, flags=0x04, stream_id=13>
                  ; END_HEADERS
        [  0.016] recv (stream_id=13) :status: 200
        [  0.016] recv (stream_id=13) content-type: application/json
        [  0.016] recv HEADERS frame <length=14, flags=0x04, stream_id=13>
                  ; END_HEADERS
                  (padlen=0)
                  ; First response header
        [  0.016] recv DATA frame <length=338, flags=0x00, stream_id=13>
        [  0.016] recv DATA frame <length=12, flags=0x00, stream_id=13>
        [  0.016] recv (stream_id=13) x-checksum: sha256=b2cc
        [  0.016] recv (stream_id=13) x-trailer-check: ok
        [  0.016] recv HEADERS frame <length=78, flags=0x05, stream_id=13>
                  ; END_STREAM | END_HEADERS
                  (padlen=0)
        [  0.017] recv RST_STREAM frame <length=4, flags=0x00, stream_id=15>
                  (error_code=REFUSED_STREAM(0x07))
        [  0.018] recv GOAWAY frame <length=8, flags=0x00, stream_id=0>
                  (last_stream_id=13, error_code=NO_ERROR(0x00), opaque_data(0)=[])
        Some requests were not processed. total=2, processed=1
        """

    @Test func nghttpFrameLogParsing() throws {
        let result = NghttpResult.parse(exitCode: 0, output: Self.log, stderr: "")
        #expect(result.frames.count == 11)
        #expect(result.requestStreamIDs == [13, 15])
        #expect(!result.allRequestsProcessed)
        #expect(result.serverSettings == ["SETTINGS_MAX_CONCURRENT_STREAMS": 2, "SETTINGS_MAX_HEADER_LIST_SIZE": 65536])
        let sent = try #require(result.sent("HEADERS", stream: 13).first)
        #expect(sent.fields.map(\.name) == [":method", ":path", "x-empty"])
        #expect(sent.field(":path") == "/trailers")
        #expect(sent.field("x-empty") == "")
        #expect(sent.endStream)
        #expect(sent.flags == 0x25)
        #expect(sent.annotations.first == "; END_STREAM | END_HEADERS | PRIORITY")
        // Three received blocks on stream 13: 103, 200, trailers.
        #expect(result.headerBlocks().count == 3)
        #expect(FieldLookup.first("link", in: result.headerBlocks()[0]) == "</a.css>; rel=preload")
        #expect(result.status() == 200)
        #expect(result.responseHeader("Content-Type") == "application/json")
        #expect(result.trailers().map(\.name) == ["x-checksum", "x-trailer-check"])
        #expect(result.trailer("x-trailer-check") == "ok")
        #expect(result.trailer("x-missing") == nil)
        #expect(result.receivedDataBytes() == 350)
        #expect(result.responseComplete())
        #expect(!result.responseComplete(stream: 15))
        #expect(result.status(stream: 15) == nil)
        #expect(result.received("RST_STREAM", stream: 15).first?.errorCode == "REFUSED_STREAM")
        let goaway = try #require(result.goaway)
        #expect(goaway.lastStreamID == 13)
        #expect(goaway.errorCode == "NO_ERROR")
        #expect(result.received("SETTINGS").first?.isAck == false)
        #expect(result.sent("SETTINGS").first?.isAck == true)
    }

    @Test func nghttpWithoutTrailersOrFrames() {
        let empty = NghttpResult.parse(exitCode: 1, output: "[ERROR] Could not connect to the address 127.0.0.1\n", stderr: "")
        #expect(empty.frames.isEmpty)
        #expect(!empty.allRequestsProcessed)
        #expect(empty.status() == nil)
        #expect(empty.trailers().isEmpty)
        #expect(empty.receivedDataBytes() == 0)
    }

    @Test func h2loadSummaryParsing() throws {
        let output = """
            starting benchmark...
            spawning thread #0: 2 total client(s). 200 total requests
            Application protocol: h2c
            progress: 100% done

            finished in 143.69ms, 1391.91 req/s, 428.57KB/s
            requests: 200 total, 199 started, 198 done, 190 succeeded, 10 failed, 8 errored, 2 timeout
            status codes: 185 2xx, 0 3xx, 5 4xx, 0 5xx
            traffic: 61.58KB (63058) total, 648B (648) headers (space savings 94.11%), 55.56KB (56890) data
            """
        let result = try H2LoadResult.parse(exitCode: 0, output: output, stderr: "")
        #expect(result.applicationProtocol == "h2c")
        #expect(result.total == 200)
        #expect(result.started == 199)
        #expect(result.done == 198)
        #expect(result.succeeded == 190)
        #expect(result.failed == 10)
        #expect(result.errored == 8)
        #expect(result.timedOut == 2)
        #expect(result.statusClasses == ["2xx": 185, "3xx": 0, "4xx": 5, "5xx": 0])
        #expect(result.requestsPerSecond == 1391.91)
        #expect(throws: TestSupportError.self) { try H2LoadResult.parse(exitCode: 1, output: "Usage: h2load", stderr: "") }
    }

    @Test func h2loadAgainstNothingReportsErrors() throws {
        let port = try UpstreamFixture.refusingPort()
        let result = try H2Client.h2load(url: "http://127.0.0.1:\(port)/", requests: 4)
        #expect(result.succeeded == 0)
        #expect(result.failed == 4)
        #expect(result.applicationProtocol == "")
    }

    @Test func curlReportsTheNegotiatedVersion() throws {
        // An HTTP/1.1-only origin: curl's h2c prior knowledge fails there, which is the point of
        // reading the version back rather than assuming it.
        let fixture = try UpstreamFixture.start()
        defer { fixture.stop() }
        let http1 = try Curl.request(url: "http://\(fixture.address)/", extraArguments: ["-w", "%{http_version}"])
        #expect(http1.writeOut == "1.1")
        let h2 = try H2Client.curl(url: "http://\(fixture.address)/")
        #expect(h2.exitCode != 0)
        #expect(h2.writeOut == "0")
    }
}
