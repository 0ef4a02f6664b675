// ThresholdTests: a cluster's concurrency thresholds — max_requests and max_pending_requests
// answer 503 at once with x-tracegate-overloaded, max_connections queues, max_retries skips the
// retry — and the pending queue's own timeout and gauge.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct Thresholds {
        /// Sends `GET path` on a fresh connection and leaves the client open (the caller reads
        /// the response later, or never).
        static func hold(_ rig: ResilienceRig, _ path: String) throws -> RawHTTPClient {
            let client = try RawHTTPClient.connect(port: rig.port)
            #expect(client.send("GET \(path) HTTP/1.1\r\nHost: api.test\r\n\r\n"))
            return client
        }

        /// `max_requests: 2` with a hung upstream: two requests are in flight, the third is
        /// answered 503 `upstream_overloaded` with `x-tracegate-overloaded: max_requests` at once
        /// and never reaches the upstream.
        @Test func maxRequestsOverflowIsAnswered503AtOnce() throws {
            let rig = try ResilienceRig.start([.hang]) {
                ResilienceYAML.config(endpoints: $0, cluster: ["circuit_breakers: {max_requests: 2}"])
            }
            defer { rig.stop() }
            let held = try (0..<2).map { try Self.hold(rig, "/held/\($0)") }
            defer { held.forEach { $0.close() } }
            #expect(rig.upstreams[0].fixture.waitForRequests(count: 2, timeout: .seconds(5)))
            let (response, elapsed) = try rig.timedSend("GET", "/third")
            ProxyErrors.check(response, status: 503, code: "upstream_overloaded")
            #expect(response?.header("x-tracegate-overloaded") == "max_requests")
            #expect(elapsed < .milliseconds(500), "answered at once, not after a wait: \(elapsed)")
            #expect(rig.upstreams[0].requestCount == 2)
            let scrape = try rig.metrics { rig.value("tracegate_overloaded_total", "threshold=\"max_requests\"", in: $0) >= 1 }
            #expect(rig.value("tracegate_overloaded_total", "threshold=\"max_requests\"", in: scrape) == 1)
            let overloaded = try #require(try rig.debugCluster()["resilience"] as? [String: Any])["overloaded"] as? [String: Any]
            #expect(overloaded?["max_requests"] as? Int == 1, "\(overloaded ?? [:])")
            try ProxyErrors.expectCounted(rig.proxy, code: "upstream_overloaded")
        }

        /// `pool.max_connections: 1` and `max_pending_requests: 1` with a slow upstream: the
        /// second request waits for the one connection (the pending gauge shows it) and is
        /// served on it; the third finds the queue full and gets 503 `max_pending_requests`.
        @Test func pendingQueueWaitsForAConnectionAndOverflows() throws {
            let rig = try ResilienceRig.start([.slow(.milliseconds(800))]) {
                ResilienceYAML.config(endpoints: $0, cluster: [
                    "pool: {max_connections: 1, max_idle: 1}",
                    "circuit_breakers: {max_pending_requests: 1}",
                ])
            }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            let first = try Self.hold(rig, "/first")
            defer { first.close() }
            #expect(upstream.fixture.waitForRequests(count: 1, timeout: .seconds(5)))
            let second = try Self.hold(rig, "/second")
            defer { second.close() }
            let waiting = try rig.metrics { rig.value("tracegate_pending_requests", in: $0) == 1 }
            #expect(rig.value("tracegate_pending_requests", in: waiting) == 1, "the second request is queued")
            #expect((try rig.debugCluster()["resilience"] as? [String: Any])?["pending_requests"] as? Int == 1)
            #expect(upstream.requestCount == 1, "the queued request has not reached the upstream")

            let (third, elapsed) = try rig.timedSend("GET", "/third")
            ProxyErrors.check(third, status: 503, code: "upstream_overloaded")
            #expect(third?.header("x-tracegate-overloaded") == "max_pending_requests")
            #expect(elapsed < .milliseconds(500), "answered at once: \(elapsed)")

            #expect(first.readResponse()?.status == 200)
            let served = second.readResponse()
            #expect(served?.status == 200, "the queued request is served once the connection is free")
            #expect(upstream.requests.map(\.target) == ["/first", "/second"])
            #expect(upstream.fixture.acceptedConnections == 1, "both on the one connection the pool allows")
            let scrape = try rig.metrics { rig.value("tracegate_pending_requests", in: $0) == 0 }
            #expect(rig.value("tracegate_pending_requests", in: scrape) == 0)
            #expect(rig.value("tracegate_overloaded_total", "threshold=\"max_pending_requests\"", in: scrape) == 1)
        }

        /// A queued request whose wait outlasts its attempt timeout is answered 503
        /// `upstream_pending_timeout`, while the request holding the connection is unaffected.
        /// Two routes share the cluster: `/long/` waits up to 5 s, everything else 300 ms.
        @Test func pendingWaitLongerThanTheAttemptTimeoutIs503() throws {
            let rig = try ResilienceRig.start([.hang]) {
                ResilienceYAML.config(endpoints: $0, routeTimeout: "300ms",
                                      cluster: ["pool: {max_connections: 1, max_idle: 1}"],
                                      routes: ["{ name: long, match: { path_prefix: \"/long/\" }, cluster: api, timeout: 5s }"])
            }
            defer { rig.stop() }
            let holder = try Self.hold(rig, "/long/holder")
            defer { holder.close() }
            #expect(rig.upstreams[0].fixture.waitForRequests(count: 1, timeout: .seconds(5)))
            let (response, elapsed) = try rig.timedSend("GET", "/short")
            ProxyErrors.check(response, status: 503, code: "upstream_pending_timeout")
            #expect(elapsed >= .milliseconds(250) && elapsed < .milliseconds(1_500), "after \(elapsed)")
            #expect(rig.upstreams[0].requestCount == 1, "the timed-out request never reached the upstream")
            try ProxyErrors.expectCounted(rig.proxy, code: "upstream_pending_timeout")
            let scrape = try rig.metrics { rig.value("tracegate_pending_requests", in: $0) == 0 }
            #expect(rig.value("tracegate_pending_requests", in: scrape) == 0, "the timed-out request left the queue")
        }

        /// `circuit_breakers.max_connections: 1` (the pool allows more): the second concurrent
        /// request queues instead of opening a second connection, the threshold is counted, and
        /// both are served on one connection.
        @Test func clusterMaxConnectionsQueuesInsteadOfConnecting() throws {
            let rig = try ResilienceRig.start([.slow(.milliseconds(400))]) {
                ResilienceYAML.config(endpoints: $0, cluster: ["circuit_breakers: {max_connections: 1}"])
            }
            defer { rig.stop() }
            let clients = try (0..<2).map { try Self.hold(rig, "/c/\($0)") }
            defer { clients.forEach { $0.close() } }
            for (i, client) in clients.enumerated() { #expect(client.readResponse()?.status == 200, "request \(i)") }
            #expect(rig.upstreams[0].fixture.acceptedConnections == 1)
            let scrape = try rig.metrics { rig.value("tracegate_overloaded_total", "threshold=\"max_connections\"", in: $0) >= 1 }
            #expect(rig.value("tracegate_overloaded_total", "threshold=\"max_connections\"", in: scrape) >= 1)
        }

        /// A client that goes away while its request waits for a hung upstream gives its
        /// `max_requests` place back at once: the next client is admitted and reaches the
        /// upstream, instead of getting 503 `max_requests` until the abandoned request's timeout.
        @Test
        func clientThatLeavesFreesItsPlace() throws {
            let rig = try ResilienceRig.start([.hang]) {
                ResilienceYAML.config(endpoints: $0, routeTimeout: "10s", cluster: ["circuit_breakers: {max_requests: 1}"])
            }
            defer { rig.stop() }
            let gone = try Self.hold(rig, "/gone")
            #expect(rig.upstreams[0].fixture.waitForRequests(count: 1, timeout: .seconds(5)))
            gone.close()
            #expect(rig.upstreams[0].fixture.waitForOpenConnections(atMost: 0, timeout: .seconds(2)),
                    "the abandoned request's upstream connection is closed")
            let next = try Self.hold(rig, "/next")
            defer { next.close() }
            #expect(rig.upstreams[0].fixture.waitForRequests(count: 2, timeout: .seconds(2)),
                    "the next request reached the upstream: \(next.readResponse(timeout: .milliseconds(100))?.rawHead ?? "")")
        }

        /// `max_retries: 0`: no retry may be in flight, so a failed attempt the policy would
        /// retry goes to the client as it is, counted as given up for `max_retries`.
        @Test func maxRetriesZeroSkipsEveryRetry() throws {
            let rig = try ResilienceRig.start([.status(503)]) {
                ResilienceYAML.config(endpoints: $0, retry: "{max_attempts: 3, retry_on: [503]}",
                                      cluster: ["circuit_breakers: {max_retries: 0}"])
            }
            defer { rig.stop() }
            let response = try rig.send("GET", "/no-retry")
            #expect(response?.status == 503 && response?.header("X-Upstream") == "a")
            #expect(rig.upstreams[0].requestCount == 1)
            let scrape = try rig.metrics { rig.value("tracegate_retries_given_up_total", "reason=\"max_retries\"", in: $0) >= 1 }
            #expect(rig.value("tracegate_retries_given_up_total", "reason=\"max_retries\"", in: scrape) == 1)
            #expect(rig.value("tracegate_overloaded_total", "threshold=\"max_retries\"", in: scrape) == 1)
            #expect(rig.value("tracegate_retries_total", "cause=\"status\"", in: scrape) == 0)
            let resilience = try #require(try rig.debugCluster()["resilience"] as? [String: Any])
            #expect((resilience["retries_given_up"] as? [String: Any])?["max_retries"] as? Int == 1, "\(resilience)")
        }

        /// The retry `max_retries` refused is a `tracegate.retry_given_up` event with reason
        /// `max_retries` on the SERVER span.
        @Test
        func maxRetriesGiveUpIsAnEventOnTheServerSpan() throws {
            let rig = try ResilienceRig.start([.status(503)], otlp: true) { endpoints, receiver in
                ResilienceYAML.config(endpoints: endpoints, retry: "{max_attempts: 3, retry_on: [503]}",
                                      cluster: ["circuit_breakers: {max_retries: 0}"],
                                      extra: ResilienceYAML.telemetry(receiver ?? ""))
            }
            defer { rig.stop() }
            let trace = "3d1e0f7a9c2b4e6d8f0a1b2c3d4e5f60"
            let response = try rig.send("GET", "/no-retry", headers: ["traceparent: 00-\(trace)-0123456789abcdef-01"])
            #expect(response?.status == 503)
            let receiver = try #require(rig.receiver)
            let server = try #require(try receiver.waitForSpans(count: 2).first { $0.traceID == trace && $0.kind == "SPAN_KIND_SERVER" })
            let event = server.events.first { $0.name == "tracegate.retry_given_up" }
            #expect(event?.attributes["tracegate.retry.reason"] == .string("max_retries"), "events: \(server.events.map(\.name))")
        }
    }
}
