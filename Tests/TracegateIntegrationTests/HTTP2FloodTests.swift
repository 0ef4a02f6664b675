// HTTP2FloodTests: the HTTP/2 denial-of-service patterns (h2_flood.py) against Tracegate, with a
// well-behaved client running beside them: the abuser's connection is ended (or its abuse is
// absorbed), everyone else keeps being served, and /metrics says what happened.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.timeLimit(.minutes(3))) struct HTTP2Floods {
        /// Proxy `public` (h2c) → H2Upstream over h2c: the flood's streams are multiplexed upstream
        /// instead of costing a TCP connection each.
        typealias Setup = HTTP2.H2cSetup

        static let floodErrors = ("tracegate_http2_connection_errors_total", "reason=\"flood\"")

        /// A duration-bound h2load (`-D`) run beside a flood: every request it made must succeed.
        static func expectWellBehavedClientServed(_ result: H2LoadResult, sourceLocation: SourceLocation = #_sourceLocation) {
            let summary = result.output.split(separator: "\n").suffix(12).joined(separator: "\n")
            #expect(result.succeeded > 50, "the well-behaved client got almost nothing done:\n\(summary)", sourceLocation: sourceLocation)
            #expect(result.succeeded == result.done, "\(summary)", sourceLocation: sourceLocation)
            #expect(result.failed == 0 && result.errored == 0 && result.timedOut == 0, "\(summary)", sourceLocation: sourceLocation)
            // h2load counts the status of a response still arriving when the run's time is up.
            #expect((result.statusClasses["2xx"] ?? 0) >= result.succeeded, "\(summary)", sourceLocation: sourceLocation)
            let other = ["3xx", "4xx", "5xx"].map { result.statusClasses[$0] ?? 0 }.reduce(0, +)
            #expect(other == 0, "\(summary)", sourceLocation: sourceLocation)
        }

        /// A well-behaved h2load (2 connections, 10 streams each, for `seconds`) started now.
        static func startWellBehavedClient(_ url: String, seconds: Int = 3) -> Concurrently<H2LoadResult> {
            Concurrently.start {
                try H2Client.h2load(url: url, requests: 1, clients: 2, streams: 10, extraArguments: ["-D", String(seconds)])
            }
        }

        @Test func rapidResetEndsTheAbusersConnectionWhileOthersAreServed() throws {
            let h = try Setup()
            defer { h.stop() }
            let before = try H2Checks.counter(h.proxy, Self.floodErrors.0, Self.floodErrors.1)
            let bystander = Self.startWellBehavedClient(h.url("/"))
            usleep(500_000)  // the bystander's connections are up and busy before the flood starts
            // Default limits (reset_burst 1000, reset_rate 33/s): 3000 resets in ~0.3 s must trip them.
            let flood = try H2Flood.run(target: "127.0.0.1:\(h.port)", mode: .rapidReset, count: 3000, timeout: .seconds(5))
            let load = try bystander.wait()

            #expect(flood.error == nil, "\(flood.error ?? "")")
            #expect(flood.serverClosed || flood.writeError != nil, "the abusive connection was not closed: \(flood)")
            #expect(!flood.aliveAfter, "the abusive connection is still served after 3000 rapid resets")
            #expect(flood.goawayReceived, "no GOAWAY before the close: \(flood.framesReceivedByType)")
            #expect(flood.goawayErrorName == "ENHANCE_YOUR_CALM")
            Self.expectWellBehavedClientServed(load)

            let after = try H2Checks.counter(h.proxy, Self.floodErrors.0, Self.floodErrors.1, above: before)
            #expect(after > before, "tracegate_http2_connection_errors_total{reason=\"flood\"} did not rise (\(before) → \(after))")
            #expect(after - before == 1, "one flooding connection counted \(after - before) times")
            let next = try H2Client.curl(url: h.url("/after-flood"))
            H2Checks.expectHTTP2(next)
            #expect(next.status == 200)
            #expect(!h.proxy.hasExited)
        }

        /// header-overflow: one request whose header list (100 kB) exceeds SETTINGS_MAX_HEADER_LIST_SIZE
        /// (64 KiB); hpack-bomb: a small header block that decodes to ~4 MiB. Each must cost the
        /// abuser its request (431 or RST_STREAM), not its connection or anyone else's.
        @Test(arguments: [H2Flood.Mode.headerOverflow, .hpackBomb])
        func oversizedHeaderListsAreRefusedPerStream(mode: H2Flood.Mode) throws {
            let h = try Setup()
            defer { h.stop() }
            let bystander = Self.startWellBehavedClient(h.url("/"), seconds: 2)
            usleep(300_000)
            let flood = try H2Flood.run(target: "127.0.0.1:\(h.port)", mode: mode, timeout: .seconds(5))
            let load = try bystander.wait()

            #expect(flood.error == nil, "\(flood.error ?? "")")
            let refused = flood.responses["431"] ?? 0
            let reset = flood.streamsResetByServer.values.reduce(0, +)
            #expect(refused + reset == 1, "expected a 431 or RST_STREAM: responses \(flood.responses), resets \(flood.streamsResetByServer)")
            #expect(flood.responses["200"] == nil, "an oversized request was served")
            #expect(!flood.goawayReceived && !flood.serverClosed, "one oversized request ended the connection: \(flood)")
            #expect(flood.aliveAfter, "the connection stopped answering after one oversized request")
            Self.expectWellBehavedClientServed(load)
            let next = try H2Client.curl(url: h.url("/after-\(mode.rawValue)"))
            #expect(next.status == 200)
            // Nothing of the oversized request reached the upstream.
            #expect(try h.upstream.requests().allSatisfy { $0.header("x-bomb") == nil && $0.header("x-overflow-00000") == nil })
        }

        /// 5000 SETTINGS or PING frames without reading the ACKs (CVE-2019-9515, CVE-2019-9512). Two
        /// answers are acceptable, and which one comes depends on how many frames one read takes in
        /// (a busy worker reads bigger batches): every ACK sent and the connection still served, or,
        /// once more than `max_control_frames_queued` ACKs wait, GOAWAY(ENHANCE_YOUR_CALM), a close
        /// and the flood counted. What is not: a close without GOAWAY, a half-answered connection,
        /// or harm to other clients.
        @Test(arguments: [H2Flood.Mode.settingsFlood, .pingFlood])
        func controlFrameFloodsEndCleanlyOrAreAbsorbed(mode: H2Flood.Mode) throws {
            let h = try Setup()
            defer { h.stop() }
            let before = try H2Checks.counter(h.proxy, Self.floodErrors.0, Self.floodErrors.1)
            let bystander = Self.startWellBehavedClient(h.url("/"), seconds: 2)
            usleep(300_000)
            let flood = try H2Flood.run(target: "127.0.0.1:\(h.port)", mode: mode, count: 5000, timeout: .seconds(5))
            let load = try bystander.wait()

            #expect(flood.error == nil, "\(flood.error ?? "")")
            let ackType = mode == .settingsFlood ? "SETTINGS" : "PING"
            if flood.goawayReceived || flood.serverClosed || flood.writeError != nil {
                #expect(!flood.aliveAfter)
                #expect(flood.goawayReceived, "closed without GOAWAY: \(flood.framesReceivedByType)")
                #expect(flood.goawayErrorName == "ENHANCE_YOUR_CALM")
                let after = try H2Checks.counter(h.proxy, Self.floodErrors.0, Self.floodErrors.1, above: before)
                #expect(after > before, "the connection was closed but not counted as a flood")
            } else {
                #expect(flood.aliveAfter, "the connection stopped answering: \(flood.framesReceivedByType)")
                // SETTINGS: the server's own, the ACK of the preface's, 5000 ACKs; PING: 5000 ACKs + tgalive!.
                let expected = mode == .settingsFlood ? 5002 : 5001
                #expect(flood.received(ackType) == expected, "\(ackType) frames received: \(flood.framesReceivedByType)")
                #expect(try H2Checks.counter(h.proxy, Self.floodErrors.0, Self.floodErrors.1) == before)
            }
            Self.expectWellBehavedClientServed(load)
            #expect(try H2Client.curl(url: h.url("/after-\(mode.rawValue)")).status == 200)
        }

        /// A client that gives up on a request resets its stream (RST_STREAM CANCEL). The proxy must
        /// then end the exchange (log it as 499, cancel it upstream) and send nothing more on the
        /// stream: RFC 9113 §5.4.2 "an endpoint MUST NOT send a RST_STREAM in response to a
        /// RST_STREAM frame", and §5.1 allows only PRIORITY on a closed stream.
        @Test func aClientResetEndsTheExchangeWithoutAnAnswer() throws {
            let h = try Setup()
            defer { h.stop() }
            let client = try HeldH2Client(target: "127.0.0.1:\(h.port)")
            defer { client.stop() }
            let first = try #require(client.get("/before"), "no answer: \(client.stderrText)")
            #expect(first["status"] as? Int == 200)
            // The upstream answers after 1 s, so the reset arrives while the exchange is in flight;
            // the client listens for 1.5 s, past the upstream's answer.
            let check = try #require(client.command("reset /delay/1000 1500", timeout: .seconds(20)), "no answer: \(client.stderrText)")
            #expect(check["event"] as? String == "reset_checked", "\(check)")
            let frames = check["frames_on_stream"] as? [[String: Any]] ?? []
            #expect(!frames.contains { $0["type"] as? String == "HEADERS" || $0["type"] as? String == "DATA" },
                    "a response was sent on a stream the client reset: \(frames)")
            #expect(frames.isEmpty, "frames sent on a stream the client reset: \(frames)")
            let entry = try #require(AccessLogs.entry(h.proxy) { $0["path"] as? String == "/delay/1000" }, "no access-log line for the reset request")
            #expect(entry["status"] as? Int == 499, "access log: \(entry)")
            #expect((entry["duration_ms"] as? Double ?? 0) < 900, "the exchange outlived the client's reset: \(entry)")
            let after = try #require(client.get("/after"))
            #expect(after["status"] as? Int == 200, "the connection is unusable after a client reset: \(after)")
            #expect(try h.upstream.protocolErrors().isEmpty)
        }
    }
}
