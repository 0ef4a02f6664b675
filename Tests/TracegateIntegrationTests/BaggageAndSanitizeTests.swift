// BaggageAndSanitizeTests: W3C Baggage filtering by trust (redaction, allow-list, limits) and the
// stripping of foreign trace-context and Tracegate-internal headers from untrusted peers.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct BaggageAndSanitize {
        static let baggage = "user.id=42,password=hunter2,tenant=acme;prop=1,user.email=a%40b.c,Auth-Token=xyz,region=eu"

        static func config(_ backend: String) -> String {
            Configs.standard(backend: backend, extra: """
                context:
                  baggage: { untrusted_allowed_keys: [tenant, region], max_members: 8, max_bytes: 512 }
                  sanitize: { strip_headers: [X-Internal-Secret] }
                """)
        }

        @Test func trustedBaggageIsKeptMinusRedactedKeys() throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            _ = try Curl.get(h.url("/bg"), headers: [("baggage", Self.baggage)])
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "baggage") == ["user.id=42,tenant=acme;prop=1,region=eu"])
        }

        @Test func untrustedBaggageKeepsOnlyAllowedKeys() throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            _ = try Curl.get(h.url("/bg", listener: "outside"), headers: [("baggage", Self.baggage)])
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "baggage") == ["tenant=acme;prop=1,region=eu"])
        }

        @Test func untrustedBaggageWithoutAllowListIsDropped() throws {
            let h = try Harness.start()
            defer { h.stop() }
            _ = try Curl.get(h.url("/bg", listener: "outside"), headers: [("baggage", "tenant=acme,user.id=42")])
            #expect(h.lastRequest?.header("baggage") == nil)
        }

        @Test func baggageSplitOverSeveralLinesIsCombined() throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            _ = try Wire.get(port: h.port, "/bg", headers: ["baggage: a=1,secret_key=s", "baggage: b=2"])
            #expect(h.lastRequest?.headers(named: "baggage") == ["a=1,b=2"])
        }

        @Test(arguments: [
            (1...9).map { "k\($0)=v" }.joined(separator: ","),                        // 9 members > max_members 8
            "big=" + String(repeating: "x", count: 600),                               // 604 bytes > max_bytes 512
        ])
        func overLimitBaggageIsDropped(sent: String) throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            #expect(try Curl.get(h.url("/bg"), headers: [("baggage", sent)]).status == 200)
            #expect(h.lastRequest?.header("baggage") == nil, "over-limit baggage forwarded")
        }

        static let foreign: [(String, String)] = [
            ("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"), ("X-B3-SpanId", "e457b5a2e4d86bd1"),
            ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            ("uber-trace-id", "5a7b:1c2d:0:1"), ("X-Tracegate-Anything", "internal"),
            ("X-Internal-Secret", "s3cr3t"), ("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793"),
        ]

        @Test func foreignContextHeadersAreStrippedFromUntrustedPeers() throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            let before = try Self.stripCount(h.proxy)
            let result = try Curl.get(h.url("/strip", listener: "outside"),
                                      headers: Self.foreign + [("X-Debug", "1"), ("X-Plain", "kept")])
            #expect(result.status == 200)
            let seen = try #require(h.lastRequest)
            for (name, _) in Self.foreign + [("X-Debug", "")] {
                #expect(seen.headers(named: name).isEmpty, "\(name) reached the upstream from an untrusted peer")
            }
            #expect(seen.header("X-Plain") == "kept")
            #expect(Wire.traceparent(seen.header("traceparent")) != nil)
            let after = try Self.stripCount(h.proxy)
            #expect(after.total >= before.total + Double(Self.foreign.count),
                    "strip metric families \(after.families) went from \(before.total) to \(after.total)")
        }

        @Test func foreignContextHeadersPassFromTrustedPeers() throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            #expect(try Curl.get(h.url("/strip"), headers: Self.foreign).status == 200)
            let seen = try #require(h.lastRequest)
            for (name, value) in Self.foreign {
                #expect(seen.headers(named: name) == [value], "\(name) from a trusted peer should pass verbatim")
            }
        }

        @Test func edgeOwnedHeadersAreRewrittenEvenFromTrustedPeers() throws {
            let h = try Harness.start(config: { Self.config($0) })
            defer { h.stop() }
            _ = try Wire.get(port: h.port, "/owned", headers: [
                "X-Debug: maybe", "X-Session-ID: bad session", "traceparent: garbage", "X-Correlation-ID: ok-id",
            ])
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Debug").isEmpty, "a non-enable debug value is not forwarded")
            #expect(seen.headers(named: "X-Session-ID").isEmpty)
            #expect(seen.headers(named: "traceparent").count == 1)
            #expect(seen.header("traceparent") != "garbage")
            #expect(seen.headers(named: "X-Correlation-ID") == ["ok-id"])
        }

        /// The sum of every `/metrics` family whose name mentions stripping.
        static func stripCount(_ proxy: ProxyProcess) throws -> (total: Double, families: [String]) {
            let metrics = try Admin.metrics(proxy)
            let families = metrics.familyNames(containing: "strip")
            return (families.map { metrics.sum($0) }.reduce(0, +), families)
        }

        @Test func stripMetricIsExposed() throws {
            let h = try Harness.start()
            defer { h.stop() }
            _ = try Curl.get(h.url("/strip", listener: "outside"), headers: [("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7")])
            let metrics = try Admin.metrics(h.proxy)
            let families = metrics.familyNames(containing: "strip")
            #expect(!families.isEmpty, "/metrics exposes no metric about stripped headers")
            let labelled = metrics.samples.filter { $0.key.contains("strip") && $0.key.contains("x-b3-") }
            #expect(labelled.values.contains { $0 >= 1 }, "no strip sample labelled with the x-b3-* header: \(labelled)")
        }
    }
}
