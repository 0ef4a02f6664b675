// MirrorTests+Comparisons: the body limit, misbehaving shadows, and status and body
// comparisons with their /debug/state list.
import Foundation
import Testing
import TracegateResilience
import TracegateTestSupport

extension Integration.Mirror {
        @Test func aBodyOverMaxBodyIsSkippedAndCounted() throws {
            let s = try Setup(mirror: "max_body: 1KiB")
            defer { s.stop() }
            let client = try RawHTTPClient.connect(port: s.port)
            defer { client.close() }
            let big = String(repeating: "b", count: 4096)
            var chunks = ""
            for _ in 0..<8 { chunks += "200\r\n" + String(repeating: "c", count: 512) + "\r\n" }
            let requests = [
                "POST /big HTTP/1.1\r\nHost: tracegate.test\r\nContent-Length: 4096\r\n\r\n\(big)",
                "POST /big-chunked HTTP/1.1\r\nHost: tracegate.test\r\nTransfer-Encoding: chunked\r\n\r\n\(chunks)0\r\n\r\n",
                "POST /small HTTP/1.1\r\nHost: tracegate.test\r\nContent-Length: 5\r\n\r\nsmall",
            ]
            for request in requests {
                #expect(Self.send(client, request)?.status == 200, "the primary gets every request")
            }
            #expect(s.primary.requests.map(\.bodyLength) == [4096, 4096, 5])
            #expect(s.shadow.waitForRequests(count: 1))
            let metrics = try Admin.metrics(s.proxy) { $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == 1 }
            #expect(s.shadow.requests.map(\.target) == ["/small"], "only the request within max_body was mirrored")
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"skipped_body\"") == 2)
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"sent\"") == 1)
        }

        /// How a misbehaving shadow's exchange is counted; the client sees none of it.
        static let failures: [(name: String, response: FixtureResponse, outcome: String)] = [
            ("reset before the head", .reset, "reset"),
            ("closed mid-body", FixtureResponse.text("truncated body").with { $0.closeAfterBytes = 4 }, "reset"),
            ("garbage instead of a head", .raw("NOT HTTP AT ALL\r\n\r\n"), "malformed_response"),
        ]

        @Test(arguments: 0..<3)
        func aMisbehavingShadowIsCountedAndNeverSeen(_ i: Int) throws {
            let failure = Self.failures[i]
            let s = try Setup(shadow: { _ in failure.response })
            defer { s.stop() }
            let result = try Curl.get("http://127.0.0.1:\(s.port)/misbehave")
            #expect(result.status == 200 && String(decoding: result.body, as: UTF8.self) == "from primary", "\(failure.name)")
            let metrics = try Admin.metrics(s.proxy) {
                $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"\(failure.outcome)\"") == 1
            }
            #expect(metrics.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"\(failure.outcome)\"") == 1,
                    "\(failure.name)")
            #expect(metrics.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"skipped_mirror_failed\"") == 1)
            #expect(metrics.value("tracegate_mirror_in_flight", "route=\"api\"") == 0)
            #expect(metrics.value("tracegate_upstream_attempts_total", "cluster=\"shadow\",outcome=\"\(failure.outcome)\"") == nil,
                    "shadow exchanges are not upstream attempts")
        }

        // MARK: - Comparison

        @Test func statusAndBodyMismatchesAreCountedByKindAndListedWithTheirTraces() throws {
            let s = try Setup(
                primary: { _ in .text("the same body") },
                shadow: { request in
                    switch request.path {
                    case "/status": .text("the same body", status: 503)
                    case "/body": .text("another body")
                    default: .chunked([.init("the same"), .init(" body")])  // other framing, same payload
                    }
                },
                mirror: "compare: body")
            defer { s.stop() }
            let client = try RawHTTPClient.connect(port: s.port)
            defer { client.close() }
            let traces = ["status": Self.randomTraceID(), "body": Self.randomTraceID(), "match": Self.randomTraceID()]
            for path in ["status", "body", "match"] {
                let response = Self.send(client, "GET /\(path) HTTP/1.1\r\nHost: tracegate.test\r\ntraceparent: \(Self.traceparent(traces[path]!))\r\n\r\n")
                #expect(response?.status == 200 && response?.bodyText == "the same body")
            }
            let metrics = try Admin.metrics(s.proxy) {
                $0.sum("tracegate_mirror_diff_total") == 3
            }
            #expect(metrics.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"status_mismatch\"") == 1)
            #expect(metrics.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"body_mismatch\"") == 1)
            #expect(metrics.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"body_match\"") == 1)
            #expect(metrics.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == 3)

            let state = try #require(try Self.mirrorState(s.proxy))
            #expect(state["cluster"] as? String == "shadow")
            #expect(state["compare"] as? String == "body")
            #expect(state["sent"] as? Int == 3)
            #expect(state["matched"] as? Int == 1)
            #expect(state["mismatched"] as? Int == 2)
            let recent = try #require(state["recent_mismatches"] as? [[String: Any]])
            #expect(recent.count == 2)
            let status = try #require(recent.first { $0["trace_id"] as? String == traces["status"] }, "\(recent)")
            #expect(status["kind"] as? String == "status_mismatch")
            #expect(status["primary_status"] as? Int == 200)
            #expect(status["shadow_status"] as? Int == 503)
            let body = try #require(recent.first { $0["trace_id"] as? String == traces["body"] }, "\(recent)")
            #expect(body["kind"] as? String == "body_mismatch")
            #expect(body["primary_status"] as? Int == 200 && body["shadow_status"] as? Int == 200)
            #expect(!recent.contains { $0["trace_id"] as? String == traces["match"] })

            // The mirror families pass promtool's parser and linter.
            let plain = try #require(try Admin.get(s.proxy, "/metrics")?.bodyText)
            let promtool = try ExternalTool.run("promtool", ["check", "metrics"], stdin: Data(plain.utf8))
            #expect(promtool.status == 0)
            #expect(promtool.stdoutText.isEmpty && promtool.stderr.isEmpty, "promtool: \(promtool.stdoutText)\(promtool.stderr)")
        }

        @Test func aLargeShadowResponseIsDrainedWholeButNotCompared() throws {
            let s = try Setup(primary: { _ in .text("small") },
                              shadow: { _ in .streamed(totalBytes: 8 << 20, chunked: true) },
                              mirror: "compare: body, max_body: 64KiB")
            defer { s.stop() }
            let client = try RawHTTPClient.connect(port: s.port)
            defer { client.close() }
            for i in 0..<2 {
                let response = Self.send(client, "GET /large/\(i) HTTP/1.1\r\nHost: tracegate.test\r\n\r\n")
                #expect(response?.status == 200 && response?.bodyText == "small")
                _ = try Admin.metrics(s.proxy, timeout: .seconds(10)) {
                    $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == Double(i + 1)
                }
            }
            let metrics = try Admin.metrics(s.proxy)
            #expect(metrics.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == 2,
                    "8 MiB drained to its end, twice")
            #expect(metrics.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"skipped_mirror_body_too_large\"") == 2)
            #expect(s.shadow.acceptedConnections == 1, "a drained response leaves the connection reusable")
        }
}
