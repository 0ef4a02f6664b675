// FaultInjectionTests+Callers: the fault headers from trusted, untrusted and signed callers,
// malformed values, and the SERVER span's marks as the real OTLP receiver decodes them.
import Foundation
import Testing
import TracegateTestSupport

extension Integration.FaultInjection {
    static func stripped(_ metrics: PrometheusText, _ header: String) -> Double {
        metrics.value("tracegate_untrusted_headers_stripped_total", "header=\"\(header)\"") ?? 0
    }

    @Test(arguments: [Curl.HTTPVersion.http1_1, .http2PriorKnowledge])
    func trustedPeersHeaderFaultsAreHonouredAndNeverForwarded(version: Curl.HTTPVersion) throws {
        let (h, directory) = try Self.start()
        defer { h.stop(); _ = directory }
        // Delay: held, then forwarded without the header.
        let (delayed, ms) = try Self.timed {
            try Curl.get(h.url("/plain/delay"), headers: [("X-Tracegate-Fault-Delay-Ms", "250")], httpVersion: version)
        }
        #expect(delayed.status == 200)
        #expect(ms >= 240, "held \(ms) ms for 250")
        #expect(delayed.header("x-tracegate-fault") == "delay")
        #expect(h.upstream.requests.map(\.target) == ["/plain/delay"])
        // Abort: any status 200...599, never upstream.
        let aborted = try Curl.get(h.url("/plain/abort"), headers: [("x-tracegate-fault-abort", "418")], httpVersion: version)
        #expect(aborted.status == 418)
        #expect(aborted.header("x-tracegate-fault") == "abort")
        #expect(aborted.json?["error"] as? String == "fault_abort")
        // A header abort overrides a route that would have answered 200, and delay-ms 0 turns a route delay off.
        let (undelayed, fast) = try Self.timed {
            try Curl.get(h.url("/slow/off"), headers: [("x-tracegate-fault-delay-ms", "0")], httpVersion: version)
        }
        #expect(undelayed.status == 200 && undelayed.header("x-tracegate-fault") == nil)
        #expect(fast < 2500, "delay-ms 0 must cancel the route's 5s (took \(fast))")
        #expect(h.upstream.requests.map(\.target) == ["/plain/delay", "/slow/off"])
        Self.expectNoFaultHeadersUpstream(h)
        let log = try #require(AccessLogs.entry(h.proxy) { $0["path"] as? String == "/plain/abort" })
        #expect(log["fault"] as? String == "abort")
        #expect(log["trusted"] as? Bool == true)
        let metrics = try Admin.metrics(h.proxy)
        #expect(Self.faultCount(metrics, route: "default", kind: "delay", source: "header") == 1)
        #expect(Self.faultCount(metrics, route: "default", kind: "abort", source: "header") == 1)
        #expect(Self.faultCount(metrics, route: "slow", kind: "delay", source: "route") == 0)
        #expect(Self.stripped(metrics, "x-tracegate-fault-delay-ms") == 0)
    }

    @Test(arguments: [Curl.HTTPVersion.http1_1, .http2PriorKnowledge])
    func untrustedPeersHeaderFaultsAreStrippedAndCounted(version: Curl.HTTPVersion) throws {
        let (h, directory) = try Self.start()
        defer { h.stop(); _ = directory }
        let headers = [("x-tracegate-fault-delay-ms", "2000"), ("x-tracegate-fault-abort", "503")]
        for i in 0..<2 {
            let (result, ms) = try Self.timed { try Curl.get(h.url("/outside/\(i)", listener: "outside"), headers: headers, httpVersion: version) }
            #expect(result.status == 200, "an untrusted caller's abort must not be honoured")
            #expect(ms < 1500, "an untrusted caller's delay must not be honoured (took \(ms))")
            #expect(result.header("x-tracegate-fault") == nil)
        }
        // A malformed value from an untrusted caller is stripped too, never answered 400.
        let garbage = try Curl.get(h.url("/outside/bad", listener: "outside"), headers: [("x-tracegate-fault-abort", "nope")], httpVersion: version)
        #expect(garbage.status == 200)
        #expect(h.upstream.requests.count == 3)
        Self.expectNoFaultHeadersUpstream(h)
        let log = try #require(AccessLogs.entry(h.proxy) { $0["path"] as? String == "/outside/1" })
        #expect(log["fault"] == nil)
        #expect(log["trusted"] as? Bool == false)
        let metrics = try Admin.metrics(h.proxy)
        #expect(Self.stripped(metrics, "x-tracegate-fault-delay-ms") == 2)
        #expect(Self.stripped(metrics, "x-tracegate-fault-abort") == 3)
        #expect(metrics.sum("tracegate_faults_injected_total") == 0)
    }

    @Test func signedDebugTokenAuthorisesAnUntrustedCaller() throws {
        let (h, directory) = try Self.start()
        defer { h.stop(); _ = directory }
        let token = SHA256Digest.debugToken(secret: Self.secret, expiry: Self.now + 300)
        let aborted = try Curl.get(h.url("/signed/abort", listener: "outside"),
                                   headers: [("X-Debug", token), ("x-tracegate-fault-abort", "502")])
        #expect(aborted.status == 502)
        #expect(aborted.header("x-tracegate-fault") == "abort")
        let (delayed, ms) = try Self.timed {
            try Curl.get(h.url("/signed/delay", listener: "outside"), headers: [("X-Debug", token), ("x-tracegate-fault-delay-ms", "200")],
                         httpVersion: .http2PriorKnowledge)
        }
        #expect(delayed.status == 200 && ms >= 190)
        #expect(delayed.header("x-tracegate-fault") == "delay")
        // A forged or expired token authorises nothing: stripped and counted.
        let expired = SHA256Digest.debugToken(secret: Self.secret, expiry: Self.now - 5)
        let forged = SHA256Digest.debugToken(secret: "another-secret-of-enough-length", expiry: Self.now + 300)
        for bad in [expired, forged] {
            let result = try Curl.get(h.url("/signed/bad", listener: "outside"), headers: [("X-Debug", bad), ("x-tracegate-fault-abort", "502")])
            #expect(result.status == 200)
        }
        #expect(h.upstream.requests.map(\.target) == ["/signed/delay", "/signed/bad", "/signed/bad"])
        Self.expectNoFaultHeadersUpstream(h)
        let metrics = try Admin.metrics(h.proxy)
        #expect(Self.faultCount(metrics, route: "default", kind: "abort", source: "header") == 1)
        #expect(Self.faultCount(metrics, route: "default", kind: "delay", source: "header") == 1)
        #expect(Self.stripped(metrics, "x-tracegate-fault-abort") == 2)
    }

    @Test(arguments: [
        ("x-tracegate-fault-delay-ms", "abc"), ("x-tracegate-fault-delay-ms", "60001"), ("x-tracegate-fault-delay-ms", "-1"),
        ("x-tracegate-fault-abort", "700"), ("x-tracegate-fault-abort", "99"), ("x-tracegate-fault-abort", "50x"),
    ])
    func malformedHeaderFromAnAuthorisedCallerIsA400(name: String, value: String) throws {
        let (h, directory) = try Self.start()
        defer { h.stop(); _ = directory }
        let result = try Curl.get(h.url("/bad"), headers: [(name, value)])
        #expect(result.status == 400)
        #expect(result.json?["error"] as? String == "fault_header_invalid")
        #expect((result.json?["message"] as? String)?.contains(name) == true)
        #expect(h.upstream.requests.isEmpty)
    }

    @Test func bodilessAbortStatusesKeepTheConnectionInStep() throws {
        let (h, directory) = try Self.start()
        defer { h.stop(); _ = directory }
        let client = try RawHTTPClient.connect(port: h.port)
        defer { client.close() }
        for status in [204, 304, 200] {
            #expect(client.send("GET /s/\(status) HTTP/1.1\r\nHost: t\r\nx-tracegate-fault-abort: \(status)\r\n\r\n"))
            let r = try #require(client.readResponse(), "no answer for \(status)")
            #expect(r.status == status)
            #expect(r.header("x-tracegate-fault") == "abort")
            #expect(r.header("Content-Length") == (status == 200 ? r.header("Content-Length") : nil))
            #expect(status == 200 ? !r.body.isEmpty : r.body.isEmpty)
        }
        // The same keep-alive connection still carries an ordinary request.
        #expect(client.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(client.readResponse()?.status == 200)
        #expect(h.upstream.requests.map(\.target) == ["/after"])
    }

    @Test func serverSpanCarriesTheFault() throws {
        let receiver = try OTLPReceiver.start()
        defer { _ = receiver.stop() }
        let (h, directory) = try Self.start(extra: """
            telemetry:
              service_name: fault-test
              otlp: { endpoint: "\(receiver.endpoint)", schedule_delay: 100ms }
            """)
        defer { h.stop(); _ = directory }
        let sampled = [("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
        #expect(try Curl.get(h.url("/both"), headers: sampled).status == 429)
        #expect(try Curl.get(h.url("/plain"), headers: sampled + [("x-tracegate-fault-delay-ms", "50")]).status == 200)
        #expect(try Curl.get(h.url("/untouched"), headers: sampled).status == 200)
        // /both: SERVER only (never upstream); /plain: SERVER + CLIENT; /untouched: SERVER + CLIENT.
        let spans = try receiver.waitForSpans(count: 5)
        let servers = spans.filter { $0.kind == "SPAN_KIND_SERVER" }
        let both = try #require(servers.first { $0.attributes["url.path"] == .string("/both") })
        #expect(both.attributes["tracegate.fault"] == .string("delay+abort"))
        #expect(both.attributes["tracegate.fault.delay_ms"] == .int(200))
        #expect(both.attributes["tracegate.fault.abort_status"] == .int(429))
        #expect(both.attributes["http.response.status_code"] == .int(429))
        #expect(both.attributes["error.type"] == .string("fault_abort"))
        let delayed = try #require(servers.first { $0.attributes["url.path"] == .string("/plain") })
        #expect(delayed.attributes["tracegate.fault"] == .string("delay"))
        #expect(delayed.attributes["tracegate.fault.delay_ms"] == .int(50))
        #expect(delayed.attributes["tracegate.fault.abort_status"] == nil)
        let untouched = try #require(servers.first { $0.attributes["url.path"] == .string("/untouched") })
        #expect(untouched.attributes["tracegate.fault"] == nil)
        #expect(spans.filter { $0.kind == "SPAN_KIND_CLIENT" }.count == 2)
        // /debug/requests shows the same field as the access log.
        let listed = try Admin.requests(h.proxy, query: "route=both")
        #expect(listed.first?["fault"] as? String == "delay+abort")
    }
}
