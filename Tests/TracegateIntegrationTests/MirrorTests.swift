// MirrorTests: shadow traffic with real fixtures as primary and shadow and the real binary: what
// the shadow receives, which traces are mirrored, the gate and body limits, comparisons and
// their /debug/state list, and HTTP/2 clients (limits and comparisons: MirrorTests+Comparisons; latency and spans:
// MirrorTests+LatencyAndSpans).
import Foundation
import Testing
import TracegateResilience
import TracegateTestSupport

extension Integration {
    @Suite(.serialized) struct Mirror {
        /// Route `api` (every path) → cluster `primary`, mirrored to cluster `shadow` with the
        /// `mirror` keys given (`cluster: shadow` is added); `shadowKeys` are added to the shadow
        /// cluster (`tls:` …); `extra` is appended as top-level YAML.
        static func config(primary: String, shadow: String, mirror: String = "", shadowKeys: String = "", extra: String = "",
                           workers: Int = 1) -> String {
            """
            workers: \(workers)
            admin: { address: "127.0.0.1:0" }
            listeners:
              - { name: public, address: "127.0.0.1:0" }
            routes:
              - { name: api, match: { path_prefix: "/" }, cluster: primary, mirror: { cluster: shadow\(mirror.isEmpty ? "" : ", " + mirror) } }
            clusters:
              - { name: primary, endpoints: ["\(primary)"] }
              - { name: shadow, endpoints: ["\(shadow)"]\(shadowKeys.isEmpty ? "" : ", " + shadowKeys) }
            \(extra)
            """
        }

        /// A primary fixture, a shadow fixture and a proxy mirroring one to the other. Always
        /// `defer { setup.stop() }`.
        final class Setup {
            let primary: UpstreamFixture
            let shadow: UpstreamFixture
            let proxy: ProxyProcess

            init(primary primaryHandler: @escaping @Sendable (FixtureRequest) -> FixtureResponse = { _ in .text("from primary") },
                 shadow shadowHandler: @escaping @Sendable (FixtureRequest) -> FixtureResponse = { _ in .text("from shadow", status: 202) },
                 mirror: String = "", extra: String = "", workers: Int = 1) throws {
                primary = try UpstreamFixture.start(primaryHandler)
                shadow = try UpstreamFixture.start(shadowHandler)
                do {
                    proxy = try ProxyProcess.start(config: Mirror.config(primary: primary.address, shadow: shadow.address,
                                                                         mirror: mirror, extra: extra, workers: workers))
                } catch {
                    primary.stop()
                    shadow.stop()
                    throw error
                }
            }

            var port: Int { (try? proxy.port("public")) ?? 0 }

            func stop() {
                proxy.stop()
                primary.stop()
                shadow.stop()
            }
        }

        /// A random trace id as 32 lowercase hex digits (never all zero).
        static func randomTraceID() -> String {
            let hi = UInt64.random(in: 1...UInt64.max)
            let lo = UInt64.random(in: 0...UInt64.max)
            return MirrorHex.digits(hi) + MirrorHex.digits(lo)
        }

        /// A sampled `traceparent` continuing `trace` (the `public` listener trusts loopback).
        static func traceparent(_ trace: String, parent: String = "00f067aa0ba902b7") -> String {
            "00-\(trace)-\(parent)-01"
        }

        /// Whether `MirrorSelector` (the proxy's own rule) mirrors the trace with this hex id.
        static func selected(_ trace: String, fraction: Double) throws -> Bool {
            let selector = try MirrorSelector(fraction: fraction)
            let hi = try #require(UInt64(trace.prefix(16), radix: 16))
            let lo = try #require(UInt64(trace.suffix(16), radix: 16))
            return selector.shouldMirror(traceIDHigh: hi, low: lo)
        }

        /// The request a fixture received with this correlation id.
        static func request(_ fixture: UpstreamFixture, correlation: String?) -> FixtureRequest? {
            fixture.requests.first { $0.header("X-Correlation-ID") == correlation }
        }

        /// Sends `request` on `client` and reads the response (keep-alive).
        static func send(_ client: RawHTTPClient, _ request: String) -> RawResponse? {
            guard client.send(request) else { return nil }
            return client.readResponse(timeout: .seconds(10))
        }

        /// `/debug/state`'s `mirror` object of route `route`.
        static func mirrorState(_ proxy: ProxyProcess, route: String = "api") throws -> [String: Any]? {
            let state = try #require(try Admin.get(proxy, "/debug/state")?.json)
            let routes = try #require(state["routes"] as? [[String: Any]])
            return routes.first { $0["name"] as? String == route }?["mirror"] as? [String: Any]
        }

        // MARK: - What the shadow receives

        @Test func shadowGetsTheSameRequestMarkedWithItsOwnSpanWhileTheClientGetsThePrimarysResponse() throws {
            let s = try Setup()
            defer { s.stop() }
            let client = try RawHTTPClient.connect(port: s.port)
            defer { client.close() }
            let bodyText = String(decoding: (0..<3000).map { UInt8(0x41 + ($0 * 7 + 3) % 26) }, as: UTF8.self)
            let chunked = "7\r\nchunked\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n"
            let requests: [(name: String, text: String, bodyLength: Int)] = [
                ("GET", "GET /items/1?q=2 HTTP/1.1\r\nHost: tracegate.test\r\nAccept: */*\r\ntraceparent: \(Self.traceparent(Self.randomTraceID()))\r\n\r\n", 0),
                ("POST content-length", "POST /orders HTTP/1.1\r\nHost: tracegate.test\r\nContent-Type: text/plain\r\nContent-Length: \(bodyText.utf8.count)\r\n"
                    + "traceparent: \(Self.traceparent(Self.randomTraceID()))\r\n\r\n\(bodyText)", 3000),
                ("POST chunked", "POST /upload HTTP/1.1\r\nHost: tracegate.test\r\nTransfer-Encoding: chunked\r\n"
                    + "traceparent: \(Self.traceparent(Self.randomTraceID()))\r\n\r\n\(chunked)", 33),
            ]
            for (i, r) in requests.enumerated() {
                let response = try #require(Self.send(client, r.text), "\(r.name): no response")
                #expect(response.status == 200, "\(r.name): the client gets the primary's status, not the shadow's 202")
                #expect(response.bodyText == "from primary", "\(r.name)")
                #expect(response.header("X-Tracegate-Shadow") == nil)
                #expect(s.shadow.waitForRequests(count: i + 1), "\(r.name): the shadow got its copy")
                // The copy's exchange ends (its connection goes back to the pool) before the next one.
                _ = try Admin.metrics(s.proxy) { $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == Double(i + 1) }
                let correlation = response.header("X-Correlation-ID")
                let primary = try #require(Self.request(s.primary, correlation: correlation), "\(r.name)")
                let shadow = try #require(Self.request(s.shadow, correlation: correlation), "\(r.name)")

                #expect(shadow.method == primary.method && shadow.target == primary.target, "\(r.name)")
                #expect(shadow.bodyLength == r.bodyLength && primary.bodyLength == r.bodyLength, "\(r.name)")
                #expect(shadow.body == primary.body && shadow.bodyDigestHex == primary.bodyDigestHex, "\(r.name): byte-identical body")
                #expect(shadow.trailers.map(\.name) == primary.trailers.map(\.name), "\(r.name)")
                #expect(shadow.header("X-Tracegate-Shadow") == "1", "\(r.name)")
                #expect(primary.header("X-Tracegate-Shadow") == nil, "\(r.name)")
                #expect(primary.header("Host") == "tracegate.test", "\(r.name)")
                #expect(shadow.header("Host") == "tracegate.test-shadow", "\(r.name)")
                let primaryParent = try #require(Wire.traceparent(primary.header("traceparent")))
                let shadowParent = try #require(Wire.traceparent(shadow.header("traceparent")))
                #expect(shadowParent.traceID == primaryParent.traceID, "\(r.name): same trace")
                #expect(shadowParent.parentID != primaryParent.parentID, "\(r.name): its own CLIENT span")
                #expect(Wire.isLowerHex(shadowParent.parentID, count: 16))
                #expect(shadowParent.flags == primaryParent.flags)
                // Every other field is what the primary got, in the same order.
                let changed: Set<String> = ["host", "traceparent", "x-tracegate-shadow"]
                let rest = { (q: FixtureRequest) in q.headers.filter { !changed.contains($0.name.lowercased()) }.map { "\($0.name): \($0.value)" } }
                #expect(rest(shadow) == rest(primary), "\(r.name)")
            }
            #expect(s.shadow.protocolErrors.isEmpty && s.primary.protocolErrors.isEmpty)
            #expect(s.shadow.acceptedConnections == 1, "the shadow connection is kept alive and reused")
            let metrics = try Admin.metrics(s.proxy) { $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == 3 }
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"sent\"") == 3)
            #expect(metrics.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == 3)
            #expect(metrics.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"status_mismatch\"") == 3, "200 against 202")
            #expect(metrics.value("tracegate_mirror_in_flight", "route=\"api\"") == 0)
            let routeRequests = WorkerMetricsLabels.methods.reduce(0.0) { total, m in
                total + (metrics.value("tracegate_route_requests_total", "route=\"api\",method=\"\(m)\",code=\"2xx\"") ?? 0)
            }
            #expect(routeRequests == 3, "shadow exchanges are not client requests")
        }

        @Test func anHTTP2ClientsRequestIsMirroredToo() throws {
            let s = try Setup()
            defer { s.stop() }
            let trace = Self.randomTraceID()
            let body = Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let result = try Curl.request(url: "http://127.0.0.1:\(s.port)/h2/upload", method: "PUT",
                                          headers: [("traceparent", Self.traceparent(trace)), ("Content-Type", "application/octet-stream")],
                                          body: body, httpVersion: .http2PriorKnowledge)
            #expect(result.exitCode == 0, "curl: \(result.stderr)")
            #expect(result.version == "HTTP/2")
            #expect(result.status == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == "from primary")
            #expect(s.shadow.waitForRequests(count: 1))
            let primary = try #require(s.primary.requests.first)
            let shadow = try #require(s.shadow.requests.first)
            #expect(shadow.method == "PUT" && shadow.target == "/h2/upload")
            #expect(shadow.bodyLength == body.count && shadow.bodyDigestHex == primary.bodyDigestHex)
            #expect(shadow.header("X-Tracegate-Shadow") == "1")
            #expect(shadow.header("Host") == "127.0.0.1:\(s.port)-shadow")
            #expect(shadow.header("Via") == "2 tracegate")
            #expect(Wire.traceparent(shadow.header("traceparent"))?.traceID == trace)
            #expect(Wire.traceparent(shadow.header("traceparent"))?.parentID != Wire.traceparent(primary.header("traceparent"))?.parentID)
        }

        @Test func aTLSShadowClusterGetsItsCopiesOverOneVerifiedConnection() throws {
            // The TLS HTTP/1.1 origin is a second Tracegate with a TLS listener in front of a fixture.
            let certificate = try TestCertificate.selfSigned()
            let origin = try UpstreamFixture.start { _ in .text("from the TLS shadow") }
            defer { origin.stop() }
            let front = try ProxyProcess.start(config: H2Configs.tls(backend: origin.address, chain: certificate.certificatePath,
                                                                    key: certificate.keyPath))
            defer { front.stop() }
            let primary = try UpstreamFixture.start { _ in .text("from primary") }
            defer { primary.stop() }
            let proxy = try ProxyProcess.start(config: Self.config(
                primary: primary.address, shadow: "127.0.0.1:\(try front.port("secure"))",
                shadowKeys: "tls: { ca_file: \"\(certificate.certificatePath)\" }"))
            defer { proxy.stop() }
            let client = try RawHTTPClient.connect(port: try proxy.port("public"))
            defer { client.close() }
            let trace = Self.randomTraceID()
            let requests = [
                "GET /secure/1 HTTP/1.1\r\nHost: tracegate.test\r\ntraceparent: \(Self.traceparent(trace))\r\n\r\n",
                "POST /secure/2 HTTP/1.1\r\nHost: tracegate.test\r\nContent-Length: 11\r\n\r\nhello there",
            ]
            for (i, request) in requests.enumerated() {
                let response = Self.send(client, request)
                #expect(response?.status == 200 && response?.bodyText == "from primary")
                #expect(origin.waitForRequests(count: i + 1))
                _ = try Admin.metrics(proxy) { $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == Double(i + 1) }
            }
            let copies = origin.requests
            #expect(copies.map(\.target) == ["/secure/1", "/secure/2"])
            #expect(copies.allSatisfy { $0.header("X-Tracegate-Shadow") == "1" && $0.header("Host") == "tracegate.test-shadow" })
            #expect(copies[1].bodyText == "hello there" && copies[1].bodyDigestHex == primary.requests[1].bodyDigestHex)
            #expect(Wire.traceparent(copies[0].header("traceparent"))?.traceID == trace)
            let handshakes = try Admin.metrics(front)
            #expect(handshakes.value("tracegate_tls_handshakes_total", "outcome=\"succeeded\"") == 1,
                    "both copies came over TLS, on one connection kept alive")
        }

        @Test func quickModeMirrorsToStagingInOneCommand() throws {
            let primary = try UpstreamFixture.start { _ in .text("production") }
            defer { primary.stop() }
            let staging = try UpstreamFixture.start { _ in .text("staging") }
            defer { staging.stop() }
            let proxy = try ProxyProcess.start(config: "", arguments: [
                "proxy", "--listen", "127.0.0.1:0", "--to", "http://\(primary.address)", "--mirror", "http://\(staging.address)",
                "--admin", "127.0.0.1:0", "--workers", "1",
            ])
            defer { proxy.stop() }
            let result = try Curl.request(url: "http://127.0.0.1:\(try proxy.port("quick"))/quick", method: "POST",
                                          body: Data("to staging too".utf8))
            #expect(result.status == 200 && String(decoding: result.body, as: UTF8.self) == "production")
            #expect(staging.waitForRequests(count: 1))
            let copy = try #require(staging.requests.first)
            #expect(copy.method == "POST" && copy.target == "/quick" && copy.bodyText == "to staging too")
            #expect(copy.header("X-Tracegate-Shadow") == "1")
            #expect(copy.header("Host") == "127.0.0.1:\(try proxy.port("quick"))-shadow")
        }

        // MARK: - Selection

        @Test func halfTheTracesAreMirroredAndExactlyTheOnesMirrorSelectorPicks() throws {
            let s = try Setup(mirror: "fraction: 0.5")
            defer { s.stop() }
            let client = try RawHTTPClient.connect(port: s.port)
            defer { client.close() }
            var expected = Set<String>()
            let count = 400
            for i in 0..<count {
                let trace = Self.randomTraceID()
                if try Self.selected(trace, fraction: 0.5) { expected.insert(trace) }
                let response = Self.send(client, "GET /pick/\(i) HTTP/1.1\r\nHost: tracegate.test\r\ntraceparent: \(Self.traceparent(trace))\r\n\r\n")
                #expect(response?.status == 200)
            }
            #expect(expected.count > count * 35 / 100 && expected.count < count * 65 / 100, "about half: \(expected.count) of \(count)")
            _ = s.shadow.waitForRequests(count: expected.count)
            let metrics = try Admin.metrics(s.proxy) {
                $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"response\"") == Double(expected.count)
            }
            let mirrored = Set(s.shadow.requests.compactMap { Wire.traceparent($0.header("traceparent"))?.traceID })
            #expect(s.shadow.requests.count == expected.count)
            #expect(mirrored == expected, "the proxy mirrors exactly the traces MirrorSelector picks")
            #expect(s.primary.requests.count == count)
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"sent\"") == Double(expected.count))
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"dropped_in_flight\"") == 0)
        }

        @Test func aReloadChangesWhatIsMirroredAndKeepsTheCounts() throws {
            let s = try Setup(mirror: "fraction: 0")
            defer { s.stop() }
            let get = { (path: String) throws -> Int in try Curl.get("http://127.0.0.1:\(s.port)\(path)").status }
            #expect(try get("/before") == 200)
            #expect(try s.proxy.reload(config: Self.config(primary: s.primary.address, shadow: s.shadow.address, mirror: "fraction: 1"))?
                .contains("\"reloaded\"") == true)
            usleep(100_000)  // the workers take the snapshot on their next wake-up
            #expect(try get("/mirrored") == 200)
            #expect(s.shadow.waitForRequests(count: 1))
            let unmirrored = Self.config(primary: s.primary.address, shadow: s.shadow.address)
                .replacingOccurrences(of: ", mirror: { cluster: shadow }", with: "")
            #expect(!unmirrored.contains("mirror"))
            #expect(try s.proxy.reload(config: unmirrored)?.contains("\"reloaded\"") == true)
            usleep(100_000)
            #expect(try get("/after") == 200)
            #expect(s.primary.waitForRequests(count: 3))
            Thread.sleep(forTimeInterval: 0.3)
            #expect(s.shadow.requests.map(\.target) == ["/mirrored"])
            let metrics = try Admin.metrics(s.proxy)
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"sent\"") == 1,
                    "the route's series outlives its mirror")
            #expect(try Self.mirrorState(s.proxy) == nil, "no mirror section for a route that no longer mirrors")
        }

        // MARK: - Limits

        @Test func aFullGateDropsAndCountsWhileHungShadowsRunOnAfterTheirClientsLeave() throws {
            let s = try Setup(shadow: { _ in .hang }, mirror: "max_in_flight: 2, timeout: 30s")
            defer { s.stop() }
            let clock = ContinuousClock()
            let started = clock.now
            for i in 0..<10 {
                let result = try Curl.get("http://127.0.0.1:\(s.port)/hung/\(i)")
                #expect(result.status == 200, "the primary answers whatever the shadow does")
            }
            #expect(clock.now - started < .seconds(10), "no primary waited on a hung shadow")
            #expect(s.shadow.waitForConnections(count: 2))
            let metrics = try Admin.metrics(s.proxy) {
                $0.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"dropped_in_flight\"") == 8
            }
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"sent\"") == 2)
            #expect(metrics.value("tracegate_mirror_requests_total", "route=\"api\",outcome=\"dropped_in_flight\"") == 8)
            // Every client has gone; the two shadows are still out (their clients' closing did not cancel them).
            #expect(metrics.value("tracegate_mirror_in_flight", "route=\"api\"") == 2)
            #expect(s.shadow.openConnections == 2)
            #expect(metrics.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"timeout\"") == nil)
            let state = try #require(try Self.mirrorState(s.proxy))
            #expect(state["sent"] as? Int == 2)
            #expect(state["dropped"] as? Int == 8)
            #expect(state["in_flight"] as? Int == 2)
        }

        @Test func aHungShadowTimesOutAndItsSlotIsFreed() throws {
            let s = try Setup(shadow: { _ in .hang }, mirror: "max_in_flight: 1, timeout: 300ms")
            defer { s.stop() }
            #expect(try Curl.get("http://127.0.0.1:\(s.port)/one").status == 200)
            let timedOut = try Admin.metrics(s.proxy, timeout: .seconds(5)) {
                $0.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"timeout\"") == 1
            }
            #expect(timedOut.value("tracegate_mirror_responses_total", "route=\"api\",outcome=\"timeout\"") == 1)
            #expect(timedOut.value("tracegate_mirror_diff_total", "route=\"api\",kind=\"skipped_mirror_failed\"") == 1)
            #expect(timedOut.value("tracegate_mirror_in_flight", "route=\"api\"") == 0)
            #expect(try Curl.get("http://127.0.0.1:\(s.port)/two").status == 200)
            #expect(s.shadow.waitForConnections(count: 2), "the gate admitted the next copy")
            #expect(s.shadow.waitForOpenConnections(atMost: 1), "the timed-out connection was closed")
        }
    }
}

/// Hex digits of trace ids for the mirror tests.
enum MirrorHex {
    static func digits(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// The `method` label values of `tracegate_route_requests_total`.
enum WorkerMetricsLabels {
    static let methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"]
}
