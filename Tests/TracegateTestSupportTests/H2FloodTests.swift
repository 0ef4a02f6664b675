import Foundation
import Testing

@testable import TracegateTestSupport

/// h2_flood.py against real servers: h2_upstream.py (python h2, which enforces a header list limit
/// and nothing else) and nghttpd (libnghttp2 1.52, the library the proxy uses, with its default
/// defences). What each server does is what the script must report.
@Suite struct H2FloodTests {
    @Test func benignFramesAreValid() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let result = try H2Flood.run(target: upstream.address, mode: .benign, count: 10, path: "/benign")
        #expect(result.error == nil)
        #expect(result.responses == ["200": 10])
        #expect(result.responsesReceived == 10)
        #expect(result.sent("HEADERS") == 10)
        #expect(result.received("HEADERS") == 10)
        #expect(result.lastStreamID == 19)
        #expect(!result.goawayReceived)
        #expect(result.aliveAfter)
        #expect(!result.serverClosed)
        #expect(result.streamsResetByServer.isEmpty)
        #expect(result.responseBytes > 0)
        #expect(result.serverSettings?["SETTINGS_MAX_CONCURRENT_STREAMS"] == 100)
        let requests = try upstream.waitForRequests(count: 10)
        #expect(requests.allSatisfy { $0.path == "/benign" && $0.complete && $0.header("user-agent") == "tracegate-h2-flood" })
        // The script ended the connection politely.
        #expect(upstream.waitForGoawaysReceived())
        #expect(try upstream.goawaysReceived().first?.errorCode == "NO_ERROR")
        #expect(try upstream.protocolErrors().isEmpty)
    }

    @Test func hpackBombAndHeaderOverflowMeetTheHeaderListLimit() throws {
        let upstream = try H2Upstream.start(maxHeaderListSize: 16_384)
        defer { upstream.stop() }
        let bomb = try H2Flood.run(target: upstream.address, mode: .hpackBomb, references: 1000)
        // A few KiB on the wire...
        #expect(bomb.bytesSent < 8_000)
        #expect(bomb.sent("HEADERS") == 1)
        // ...that h2's decoder stops at 16 KiB with ENHANCE_YOUR_CALM (RFC 9113 §10.5.1).
        #expect(bomb.goawayReceived)
        #expect(bomb.goawayErrorName == "ENHANCE_YOUR_CALM")
        #expect(bomb.goawayErrorCode == 11)
        #expect(bomb.serverClosed)
        #expect(!bomb.aliveAfter)
        let overflow = try H2Flood.run(target: upstream.address, mode: .headerOverflow, size: 100_000)
        #expect(overflow.sent("CONTINUATION") > 0)
        #expect(overflow.goawayErrorName == "ENHANCE_YOUR_CALM")
        #expect(overflow.serverClosed)
        #expect(upstream.waitForProtocolErrors(count: 2))
        #expect(try upstream.protocolErrors().filter { $0.hasPrefix("ENHANCE_YOUR_CALM") }.count == 2)
        #expect(try upstream.requests().isEmpty)
    }

    @Test func undefendedServerSurvivesRapidResetAndControlFloods() throws {
        let upstream = try H2Upstream.start()
        defer { upstream.stop() }
        let reset = try H2Flood.run(target: upstream.address, mode: .rapidReset, count: 300)
        #expect(reset.sent("HEADERS") == 300)
        #expect(reset.sent("RST_STREAM") == 300)
        #expect(reset.lastStreamID == 599)
        #expect(!reset.goawayReceived)
        #expect(reset.aliveAfter)
        // Every stream reached the fixture (its request lines prove the frames were valid).
        let requests = try upstream.waitForRequests(count: 300)
        #expect(Set(requests.map(\.streamID)).count == 300)

        let settings = try H2Flood.run(target: upstream.address, mode: .settingsFlood, count: 2000)
        #expect(settings.sent("SETTINGS") == 2002)  // h2's own SETTINGS and ACK, then the flood
        #expect(settings.aliveAfter)
        #expect(settings.received("SETTINGS") >= 2001)

        let ping = try H2Flood.run(target: upstream.address, mode: .pingFlood, count: 2000)
        #expect(ping.sent("PING") == 2001)  // the flood plus the final liveness PING
        #expect(ping.received("PING") == 2001)
        #expect(ping.aliveAfter)
        #expect(!ping.goawayReceived)
    }

    @Test func nghttpdStopsRapidResetAndTheStreamLimitWithGoaway() throws {
        let server = try Nghttpd.start()
        defer { server.stop() }
        let page = try H2Client.curl(url: server.url("/index.html"))
        #expect(page.bodyText == "hello from nghttpd\n")

        let benign = try H2Flood.run(target: server.address, mode: .benign, count: 5, path: "/index.html")
        #expect(benign.responses == ["200": 5])
        #expect(benign.aliveAfter)

        // libnghttp2's rapid-reset limit (CVE-2023-44487 fix: a burst of 1000 resets, then
        // 33/s) ends the connection with GOAWAY(INTERNAL_ERROR).
        let reset = try H2Flood.run(target: server.address, mode: .rapidReset, count: 3000, path: "/index.html")
        #expect(reset.goawayReceived, "\(reset)")
        #expect(reset.goawayErrorName == "INTERNAL_ERROR")
        #expect(reset.goawayErrorCode == 2)
        #expect((reset.goawayLastStreamID ?? 0) < reset.lastStreamID)
        #expect(reset.serverClosed)
        #expect(!reset.aliveAfter)

        // Exceeding SETTINGS_MAX_CONCURRENT_STREAMS after acknowledging it is a connection error.
        let limit = try H2Flood.run(target: server.address, mode: .streamLimit, count: 150, path: "/index.html")
        #expect(limit.serverSettings?["SETTINGS_MAX_CONCURRENT_STREAMS"] == 100)
        #expect(limit.goawayErrorName == "PROTOCOL_ERROR")
        #expect(limit.goawayLastStreamID == 199)
        #expect(server.isRunning)
    }

    @Test func nghttpdAnswersOversizedHeadersWithAStreamReset() throws {
        let server = try Nghttpd.start()
        defer { server.stop() }
        let overflow = try H2Flood.run(target: server.address, mode: .headerOverflow, size: 100_000)
        #expect(overflow.streamsResetByServer["INTERNAL_ERROR"] == 1, "\(overflow)")
        #expect(!overflow.goawayReceived)
        #expect(overflow.aliveAfter)
    }

    @Test func nonLoopbackTargetsAreRefused() throws {
        do {
            _ = try H2Flood.run(target: "192.0.2.1:80", mode: .benign, timeout: .seconds(2))
            Issue.record("a non-loopback target was accepted")
        } catch {
            guard case .fixtureFailed(_, let detail) = error else { Issue.record("unexpected \(error)"); return }
            #expect(detail.contains("not a loopback address"))
        }
    }
}
