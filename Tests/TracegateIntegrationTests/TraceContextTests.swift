// TraceContextTests: W3C Trace Context at the edge — continue for trusted peers, restart for
// untrusted ones (§3.5, §6), invalid and repeated traceparents, tracestate, traceresponse.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct TraceContext {
        static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        static let parentID = "00f067aa0ba902b7"

        @Test(arguments: ["01", "00"])
        func trustedValidTraceparentIsContinued(flags: String) throws {
            let h = try Harness.start()
            defer { h.stop() }
            let sent = "00-\(Self.traceID)-\(Self.parentID)-\(flags)"
            let result = try Curl.get(h.url("/trace"), headers: [("traceparent", sent)])
            #expect(result.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "traceparent").count == 1)
            let upstream = try #require(Wire.traceparent(seen.header("traceparent")))
            #expect(upstream.version == "00")
            #expect(upstream.traceID == Self.traceID)
            #expect(upstream.flags == flags)
            #expect(upstream.parentID != Self.parentID, "the upstream's parent must be Tracegate's span")
            #expect(Wire.isLowerHex(upstream.parentID, count: 16))
            let response = try #require(Wire.traceparent(result.header("traceresponse")), "no traceresponse to a trusted client")
            #expect(response.traceID == Self.traceID)
            #expect(response.flags == flags)
            let log = try #require(AccessLogs.entry(h.proxy) { $0["trace_id"] as? String == Self.traceID })
            #expect(log["trusted"] as? Bool == true)
            #expect(log["span_id"] as? String == response.parentID, "traceresponse carries the SERVER span of the access log")
            #expect(log["sampled"] as? Bool == (flags == "01"))
        }

        @Test func untrustedValidTraceparentIsRestarted() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let sent = "00-\(Self.traceID)-\(Self.parentID)-01"
            let result = try Curl.get(h.url("/trace", listener: "outside"), headers: [("traceparent", sent)])
            #expect(result.status == 200)
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            #expect(upstream.traceID != Self.traceID)
            #expect(Wire.isLowerHex(upstream.traceID, count: 32))
            #expect(upstream.parentID != Self.parentID)
            #expect(result.header("traceresponse") == nil, "traceresponse leaked to an untrusted client")
            let log = try #require(AccessLogs.entry(h.proxy) { $0["trace_id"] as? String == upstream.traceID })
            #expect(log["trusted"] as? Bool == false)
        }

        @Test func untrustedTraceparentIsContinuedWhenTheListenerSaysSo() throws {
            let h = try Harness.start(config: { Configs.standard(backend: $0, outsideExtra: ", untrusted_traceparent: continue") })
            defer { h.stop() }
            let sent = "00-\(Self.traceID)-\(Self.parentID)-01"
            #expect(try Curl.get(h.url("/trace", listener: "outside"), headers: [("traceparent", sent)]).status == 200)
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            #expect(upstream.traceID == Self.traceID)
            #expect(upstream.flags == "01")
            #expect(upstream.parentID != Self.parentID)
        }

        @Test(arguments: [
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",  // uppercase
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",   // trace id one digit short
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 with extra field
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // no flags
        ])
        func invalidTraceparentStartsANewTrace(sent: String) throws {
            let h = try Harness.start()
            defer { h.stop() }
            let result = try Curl.get(h.url("/trace"), headers: [("traceparent", sent), ("tracestate", "vendor=kept-only-if-continued")])
            #expect(result.status == 200)
            let seen = try #require(h.lastRequest)
            let upstream = try #require(Wire.traceparent(seen.header("traceparent")))
            #expect(upstream.traceID != Self.traceID)
            #expect(Wire.isLowerHex(upstream.traceID, count: 32))
            #expect(Wire.isLowerHex(upstream.parentID, count: 16))
            #expect(upstream.version == "00")
            #expect(seen.header("tracestate") == nil, "tracestate kept without a continued trace")
        }

        @Test func twoTraceparentHeadersStartANewTrace() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let response = try Wire.get(port: h.port, "/trace", headers: [
                "traceparent: 00-\(Self.traceID)-\(Self.parentID)-01",
                "traceparent: 00-\(Self.traceID)-\(Self.parentID)-01",
            ])
            #expect(response?.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "traceparent").count == 1)
            let upstream = try #require(Wire.traceparent(seen.header("traceparent")))
            #expect(upstream.traceID != Self.traceID)
            #expect(Wire.isLowerHex(upstream.traceID, count: 32))
        }

        @Test func missingTraceparentStartsATraceAndTheCorrelationIdIsItsTraceId() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let result = try Curl.get(h.url("/new"))
            #expect(result.status == 200)
            let seen = try #require(h.lastRequest)
            let upstream = try #require(Wire.traceparent(seen.header("traceparent")))
            #expect(Wire.isLowerHex(upstream.traceID, count: 32))
            #expect(upstream.flags == "03", "a new root is sampled (ratio 1.0) and random (Level 2): \(upstream.flags)")
            #expect(seen.header("X-Correlation-ID") == upstream.traceID)
            #expect(result.header("X-Correlation-ID") == upstream.traceID)
            #expect(Wire.traceparent(result.header("traceresponse"))?.traceID == upstream.traceID)
        }

        @Test func samplingRatioZeroLeavesNewTracesUnsampled() throws {
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: "context: { sampling_ratio: 0 }") })
            defer { h.stop() }
            #expect(try Curl.get(h.url("/unsampled")).status == 200)
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            let flags = try #require(UInt8(upstream.flags, radix: 16))
            #expect(flags & 1 == 0)
        }

        @Test func validTracestateIsKeptWithAContinuedTrace() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let state = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"
            _ = try Curl.get(h.url("/ts"), headers: [("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01"), ("tracestate", state)])
            #expect(h.lastRequest?.headers(named: "tracestate") == [state])
        }

        /// W3C Trace Context Level 2 and its conformance suite (strict level 2): a list whose keys repeat
        /// is inherited ("kept as-is or one of them discarded"), not dropped.
        @Test(arguments: [["foo=1,foo=2"], ["foo=1", "foo=1"]])
        func tracestateWithRepeatedKeysIsInherited(lines: [String]) throws {
            let h = try Harness.start()
            defer { h.stop() }
            _ = try Curl.get(h.url("/ts"), headers: [("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01")] + lines.map { ("tracestate", $0) })
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "tracestate") == lines)
        }

        @Test(arguments: ["bad key=1", "=novalue", "k=" + String(repeating: "v", count: 300)])
        func invalidTracestateIsDropped(state: String) throws {
            let h = try Harness.start()
            defer { h.stop() }
            _ = try Curl.get(h.url("/ts"), headers: [("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01"), ("tracestate", state)])
            let seen = try #require(h.lastRequest)
            #expect(Wire.traceparent(seen.header("traceparent"))?.traceID == Self.traceID)
            #expect(seen.header("tracestate") == nil, "invalid tracestate \(state) was forwarded")
        }

        @Test func tracestateFromAnUntrustedPeerIsDropped() throws {
            let h = try Harness.start()
            defer { h.stop() }
            _ = try Curl.get(h.url("/ts", listener: "outside"),
                             headers: [("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01"), ("tracestate", "congo=t61rcWkgMzE")])
            #expect(h.lastRequest?.header("tracestate") == nil)
        }

        @Test func traceresponseFollowsTheListenerPolicy() throws {
            let h = try Harness.start(config: { Configs.standard(backend: $0, outsideExtra: ", traceresponse: always") })
            defer { h.stop() }
            let result = try Curl.get(h.url("/tr", listener: "outside"))
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            #expect(Wire.traceparent(result.header("traceresponse"))?.traceID == upstream.traceID)
        }
    }
}
