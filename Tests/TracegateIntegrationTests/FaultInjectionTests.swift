// FaultInjectionTests: routes[].fault and the x-tracegate-fault-* headers through the real binary
// — delays held on the timer wheel, aborts answered without the upstream, percentages, HTTP/1.1
// and HTTP/2 clients, and every mark a rehearsal leaves (response header, access log, metric).
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct FaultInjection {
        static let secret = "integration-test-fault-secret-0123456789"

        /// Routes with every route fault; `public` trusts loopback, `outside` does not; a debug
        /// secret so signed tokens work; `extra` appended (telemetry).
        static func config(backend: String, secretFile: String, extra: String = "") -> String {
            """
            workers: 1
            admin: { address: "127.0.0.1:0" }
            listeners:
              - { name: public, address: "127.0.0.1:0" }
              - { name: outside, address: "127.0.0.1:0", trusted_cidrs: ["10.0.0.0/8"] }
            routes:
              - { name: delayed, match: { path_prefix: "/delay" }, cluster: backend, fault: { delay: { duration: 300ms } } }
              - { name: slow, match: { path_prefix: "/slow" }, cluster: backend, fault: { delay: { duration: 5s } } }
              - { name: aborted, match: { path_prefix: "/abort" }, cluster: backend, fault: { abort: { status: 503 } } }
              - { name: both, match: { path_prefix: "/both" }, cluster: backend,
                  fault: { delay: { duration: 200ms }, abort: { status: 429, percentage: 100 } } }
              - { name: never, match: { path_prefix: "/never" }, cluster: backend,
                  fault: { delay: { duration: 1s, percentage: 0 }, abort: { status: 500, percentage: 0 } } }
              - { name: share, match: { path_prefix: "/share" }, cluster: backend, fault: { abort: { status: 503, percentage: 30 } } }
              - { name: default, match: { path_prefix: "/" }, cluster: backend }
            clusters:
              - { name: backend, endpoints: ["\(backend)"] }
            context:
              debug: { secret_file: "\(secretFile)", max_per_second: 1000 }
            \(extra)
            """
        }

        /// A harness on the fault config; keep the directory alive while it runs.
        static func start(extra: String = "") throws -> (Harness, TempDir) {
            let directory = try TempDir(prefix: "fault")
            let secretFile = try directory.write("debug.key", secret + "\n")
            let h = try Harness.start(config: { config(backend: $0, secretFile: secretFile, extra: extra) })
            return (h, directory)
        }

        static var now: Int { Int(Date().timeIntervalSince1970) }

        /// Milliseconds `body` took.
        static func timed<T>(_ body: () throws -> T) rethrows -> (T, Int) {
            let clock = ContinuousClock()
            let start = clock.now
            let value = try body()
            let elapsed = clock.now - start
            return (value, Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        }

        static func faultCount(_ metrics: PrometheusText, route: String, kind: String, source: String) -> Double {
            metrics.value("tracegate_faults_injected_total", "route=\"\(route)\",kind=\"\(kind)\",source=\"\(source)\"") ?? 0
        }

        /// No request the upstream saw carried a fault header.
        static func expectNoFaultHeadersUpstream(_ h: Harness, sourceLocation: SourceLocation = #_sourceLocation) {
            for request in h.upstream.requests {
                #expect(request.header("x-tracegate-fault-delay-ms") == nil, "forwarded to \(request.target)", sourceLocation: sourceLocation)
                #expect(request.header("x-tracegate-fault-abort") == nil, "forwarded to \(request.target)", sourceLocation: sourceLocation)
            }
        }

        @Test(arguments: [Curl.HTTPVersion.http1_1, .http2PriorKnowledge])
        func routeDelayHoldsTheRequestThenForwardsIt(version: Curl.HTTPVersion) throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            let (result, ms) = try Self.timed { try Curl.get(h.url("/delay/1"), httpVersion: version) }
            #expect(result.status == 200)
            #expect(ms >= 290, "held \(ms) ms for a 300ms delay")
            #expect(ms < 3000)
            #expect(result.header("x-tracegate-fault") == "delay")
            #expect(h.upstream.requests.map(\.target) == ["/delay/1"])
            let id = try #require(result.header("X-Correlation-ID"))
            let log = try #require(AccessLogs.entry(h.proxy, correlationID: id))
            #expect(log["fault"] as? String == "delay")
            #expect(log["fault_delay_ms"] as? Int == 300)
            #expect(log["status"] as? Int == 200)
            let metrics = try Admin.metrics(h.proxy)
            #expect(Self.faultCount(metrics, route: "delayed", kind: "delay", source: "route") == 1)
            #expect(Self.faultCount(metrics, route: "delayed", kind: "abort", source: "route") == 0)
        }

        @Test(arguments: [Curl.HTTPVersion.http1_1, .http2PriorKnowledge])
        func aDelayedRequestBodyArrivesWhole(version: Curl.HTTPVersion) throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            let body = Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let (result, ms) = try Self.timed {
                try Curl.request(url: h.url("/delay/post"), method: "POST", headers: [("Content-Type", "application/octet-stream")],
                                 body: body, httpVersion: version)
            }
            #expect(result.status == 200)
            #expect(ms >= 290, "held \(ms) ms")
            let seen = try #require(h.lastRequest)
            #expect(seen.method == "POST")
            #expect(seen.body == [UInt8](body), "the body waited in the socket and went upstream whole")
        }

        @Test(arguments: [Curl.HTTPVersion.http1_1, .http2PriorKnowledge])
        func routeAbortAnswersWithoutContactingTheUpstream(version: Curl.HTTPVersion) throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            for i in 0..<3 {
                let result = try Curl.get(h.url("/abort/\(i)"), httpVersion: version)
                #expect(result.status == 503)
                #expect(result.header("x-tracegate-fault") == "abort")
                #expect(result.json?["error"] as? String == "fault_abort")
            }
            #expect(h.upstream.requests.isEmpty, "an abort never reaches the upstream")
            #expect(h.upstream.acceptedConnections == 0, "not even a connection")
            let log = try #require(AccessLogs.entry(h.proxy) { $0["path"] as? String == "/abort/2" })
            #expect(log["fault"] as? String == "abort")
            #expect(log["error"] as? String == "fault_abort")
            #expect(log["fault_delay_ms"] == nil)
            #expect(log["upstream"] as? String == "")
            let metrics = try Admin.metrics(h.proxy)
            #expect(Self.faultCount(metrics, route: "aborted", kind: "abort", source: "route") == 3)
            #expect(metrics.value("tracegate_errors_total", "error=\"fault_abort\"") == 3)
            // /debug/state shows the route's fault block and what it injected.
            let state = try #require(try Admin.get(h.proxy, "/debug/state")?.json)
            let routes = state["routes"] as? [[String: Any]] ?? []
            let fault = try #require(routes.first { $0["name"] as? String == "aborted" }?["fault"] as? [String: Any])
            #expect(fault["abort_status"] as? Int == 503)
            #expect(fault["abort_percentage"] as? Double == 100)
            #expect(fault["delay_ms"] == nil)
            #expect(((fault["injected"] as? [String: Any])?["abort"] as? [String: Any])?["route"] as? Int == 3)
            #expect(routes.first { $0["name"] as? String == "default" }?["fault"] == nil, "no fault block, nothing injected")
            // The plain route next to it is untouched, on the same process.
            #expect(try Curl.get(h.url("/plain"), httpVersion: version).header("x-tracegate-fault") == nil)
            #expect(h.upstream.requests.map(\.target) == ["/plain"])
        }

        @Test func delayThenAbort() throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            let (response, ms) = try Self.timed { try Wire.get(port: h.port, "/both") }
            let r = try #require(response)
            #expect(r.status == 429)
            #expect(ms >= 190, "held \(ms) ms before the abort")
            #expect(r.header("x-tracegate-fault") == "delay+abort")
            #expect(h.upstream.requests.isEmpty)
            let log = try #require(AccessLogs.entry(h.proxy) { $0["path"] as? String == "/both" })
            #expect(log["fault"] as? String == "delay+abort")
            #expect(log["fault_delay_ms"] as? Int == 200)
            let metrics = try Admin.metrics(h.proxy)
            #expect(Self.faultCount(metrics, route: "both", kind: "delay", source: "route") == 1)
            #expect(Self.faultCount(metrics, route: "both", kind: "abort", source: "route") == 1)
        }

        @Test func percentagesZeroAndMiddle() throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            // 0%: never delayed (1 s each would show), never aborted.
            let (_, ms) = try Self.timed {
                for i in 0..<50 {
                    #expect(client.send("GET /never/\(i) HTTP/1.1\r\nHost: t\r\n\r\n"))
                    let r = try #require(client.readResponse())
                    #expect(r.status == 200)
                    #expect(r.header("x-tracegate-fault") == nil)
                }
            }
            #expect(ms < 1000, "50 requests at 0% took \(ms) ms")
            #expect(h.upstream.requests.count == 50)
            // 30% of 400: binomial sd 9.2; five of them either side.
            let n = 400
            var aborted = 0
            for i in 0..<n {
                #expect(client.send("GET /share/\(i) HTTP/1.1\r\nHost: t\r\n\r\n"))
                let r = try #require(client.readResponse())
                if r.status == 503 {
                    #expect(r.header("x-tracegate-fault") == "abort")
                    aborted += 1
                } else {
                    #expect(r.status == 200)
                }
            }
            #expect(aborted >= 74 && aborted <= 166, "\(aborted) of \(n) aborted at 30%")
            #expect(h.upstream.requests.count == 50 + n - aborted, "aborted requests never reach the upstream")
            let metrics = try Admin.metrics(h.proxy)
            #expect(Self.faultCount(metrics, route: "share", kind: "abort", source: "route") == Double(aborted))
            #expect(Self.faultCount(metrics, route: "never", kind: "abort", source: "route") == 0)
            #expect(Self.faultCount(metrics, route: "never", kind: "delay", source: "route") == 0)
        }

        @Test func clientHangingUpDuringADelayIsEndedAtOnce() throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            // HTTP/1.1: the route holds 5 s; the client leaves after 200 ms.
            let client = try RawHTTPClient.connect(port: h.port)
            #expect(client.send("GET /slow/h1 HTTP/1.1\r\nHost: t\r\n\r\n"))
            Thread.sleep(forTimeInterval: 0.2)
            client.close()
            let clock = ContinuousClock()
            let start = clock.now
            let log = try #require(AccessLogs.entry(h.proxy, timeout: .seconds(3)) { $0["path"] as? String == "/slow/h1" })
            #expect(clock.now - start < .seconds(3), "ended when the client left, not when the delay did")
            #expect(log["status"] as? Int == 499)
            #expect(log["fault"] as? String == "delay")
            // A POST whose body is still arriving when its client leaves: noticed as well.
            let poster = try RawHTTPClient.connect(port: h.port)
            #expect(poster.send("POST /slow/post HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "p", count: 1000)))
            Thread.sleep(forTimeInterval: 0.2)
            poster.close()
            let postStart = clock.now
            let postLog = try #require(AccessLogs.entry(h.proxy, timeout: .seconds(3)) { $0["path"] as? String == "/slow/post" })
            #expect(clock.now - postStart < .seconds(3))
            #expect(postLog["status"] as? Int == 499)
            // HTTP/2: curl gives up after 1 s on a 5 s hold; the stream and its connection go.
            let result = try Curl.request(url: h.url("/slow/h2"), httpVersion: .http2PriorKnowledge, timeout: .seconds(1))
            #expect(result.exitCode != 0, "curl must have given up")
            let h2Log = try #require(AccessLogs.entry(h.proxy, timeout: .seconds(3)) { $0["path"] as? String == "/slow/h2" })
            #expect(h2Log["fault"] as? String == "delay")
            #expect(h.upstream.requests.isEmpty, "nothing went upstream")
            // No slot is left behind: every downstream connection is closed again.
            let metrics = try Admin.metrics(h.proxy, timeout: .seconds(3)) { $0.value("tracegate_connections_active") == 0 }
            #expect(metrics.value("tracegate_connections_active") == 0)
            // And the worker still serves at once.
            #expect(try Curl.get(h.url("/plain")).status == 200)
        }
    }
}
