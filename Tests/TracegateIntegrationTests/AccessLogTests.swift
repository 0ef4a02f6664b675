// AccessLogTests: one JSON line per request on stdout with every documented field, and ids that
// match what the upstream received.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct AccessLogLines {
        static let requiredKeys = [
            "time", "trace_id", "span_id", "correlation_id", "session_id", "client_address", "trusted", "method", "path",
            "route", "status", "upstream", "attempts", "duration_ms", "upstream_ms", "bytes_in", "bytes_out", "debug", "sampled",
        ]

        @Test func lineHasEveryFieldAndMatchesTheUpstreamIds() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let body = Data(repeating: 0x41, count: 1234)
            let result = try Curl.request(url: h.url("/logged/path?q=1"), headers: [
                ("X-Session-ID", "log-session-1"), ("User-Agent", "integration-agent/1.0"),
                ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            ], body: body)
            #expect(result.status == 200)
            let seen = try #require(h.lastRequest)
            let upstreamTrace = try #require(Wire.traceparent(seen.header("traceparent")))
            let correlation = try #require(seen.header("X-Correlation-ID"))
            let entry = try #require(AccessLogs.entry(h.proxy, correlationID: correlation), "no access-log line for \(correlation)")
            for key in Self.requiredKeys {
                #expect(entry[key] != nil, "access log line lacks \(key): \(entry)")
            }
            #expect(entry["trace_id"] as? String == upstreamTrace.traceID)
            #expect(entry["trace_id"] as? String == "0af7651916cd43dd8448eb211c80319c")
            #expect(Wire.isLowerHex(entry["span_id"] as? String ?? "", count: 16))
            #expect(entry["span_id"] as? String != "b7ad6b7169203331")
            #expect(entry["session_id"] as? String == seen.header("X-Session-ID"))
            #expect(entry["session_id"] as? String == "log-session-1")
            #expect(entry["client_address"] as? String == "127.0.0.1")
            #expect(entry["trusted"] as? Bool == true)
            #expect(entry["method"] as? String == "POST")
            #expect((entry["path"] as? String)?.hasPrefix("/logged/path") == true)
            #expect(entry["route"] as? String == "default")
            #expect(entry["status"] as? Int == 200)
            #expect(entry["upstream"] as? String == h.upstream.address)
            #expect(entry["attempts"] as? Int == 1)
            #expect((entry["duration_ms"] as? Double ?? -1) >= 0)
            #expect((entry["upstream_ms"] as? Double ?? -1) >= 0)
            #expect((entry["bytes_in"] as? Int ?? 0) >= body.count)
            #expect((entry["bytes_out"] as? Int ?? 0) >= result.body.count)
            #expect(entry["debug"] as? Bool == false)
            #expect(entry["sampled"] as? Bool == true)
            #expect(entry["user_agent"] as? String == "integration-agent/1.0")
            #expect(entry["error"] == nil)
            let time = try #require(entry["time"] as? String)
            #expect(ISO8601DateFormatter.withFractions.date(from: time) ?? ISO8601DateFormatter().date(from: time) != nil,
                    "time is not RFC 3339: \(time)")
        }

        @Test func untrustedRequestIsLoggedAsUntrustedWithTheRestartedTrace() throws {
            let h = try Harness.start()
            defer { h.stop() }
            _ = try Curl.get(h.url("/outside", listener: "outside"),
                             headers: [("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")])
            let seen = try #require(h.lastRequest)
            let correlation = try #require(seen.header("X-Correlation-ID"))
            let entry = try #require(AccessLogs.entry(h.proxy, correlationID: correlation))
            #expect(entry["trusted"] as? Bool == false)
            #expect(entry["trace_id"] as? String == Wire.traceparent(seen.header("traceparent"))?.traceID)
            #expect(entry["trace_id"] as? String != "0af7651916cd43dd8448eb211c80319c")
        }

        @Test func everyRequestGetsExactlyOneLine() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            for i in 0..<20 {
                #expect(client.send("GET /count/\(i) HTTP/1.1\r\nHost: t\r\nX-Correlation-ID: count-\(i)\r\n\r\n"))
                #expect(client.readResponse()?.status == 200)
            }
            #expect(AccessLogs.entry(h.proxy, correlationID: "count-19") != nil)
            let ids = h.proxy.accessLogEntries().compactMap { $0["correlation_id"] as? String }.filter { $0.hasPrefix("count-") }
            #expect(ids.sorted() == (0..<20).map { "count-\($0)" }.sorted())
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
