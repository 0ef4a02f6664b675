// RetryTests: a route's retry policy against upstreams that fail on command — connect failure,
// reset, 503, per-try timeout — and the rules that stop a retry (idempotency, replay buffer,
// max_attempts, Retry-After, the overall timeout), with the counters that say why.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct Retries {
        /// `retries_total{cluster="api",cause=…}`.
        static let retries = "tracegate_retries_total"
        /// `retries_given_up_total{cluster="api",reason=…}`.
        static let givenUp = "tracegate_retries_given_up_total"

        /// A retry policy on `conditions` with short backoff, as a `retry:` flow mapping.
        static func policy(_ conditions: String, attempts: Int = 3, extra: String = "") -> String {
            "{max_attempts: \(attempts), retry_on: [\(conditions)], backoff: {base: 10ms, max: 50ms}\(extra)}"
        }

        /// Without a `retry:` block a route still retries a failed connect once (no request byte
        /// reached the upstream): a cluster of a refusing port and a healthy endpoint answers
        /// every request 200, and each connect failure is counted as a retry.
        @Test func connectFailureIsRetriedOnTheHealthyEndpointByDefault() throws {
            let rig = try ResilienceRig.start([.healthy], refusing: 1) { ResilienceYAML.config(endpoints: $0.reversed()) }
            defer { rig.stop() }
            for i in 0..<6 {
                let response = try rig.send("GET", "/item/\(i)")
                #expect(response?.status == 200, "request \(i): \(response?.rawHead ?? "no response")")
                #expect(response?.bodyText == "a ok")
            }
            #expect(rig.upstreams[0].requestCount == 6, "the healthy endpoint served each request once")
            let scrape = try rig.metrics { rig.value(Self.retries, "cause=\"connect_failure\"", in: $0) >= 1 }
            let retried = rig.value(Self.retries, "cause=\"connect_failure\"", in: scrape)
            let failures = scrape.value("tracegate_upstream_failures_total", "kind=\"connect\"") ?? 0
            #expect(retried >= 1, "round robin sends some first attempts to the refusing endpoint")
            #expect(retried == failures, "every connect failure was retried: retries \(retried), connect failures \(failures)")
            #expect(rig.total(Self.givenUp, in: scrape) == 0)
        }

        /// The default policy retries connect failures only: a 503 reaches the client as it is,
        /// after one upstream request.
        @Test func defaultPolicyDoesNotRetryA503() throws {
            let rig = try ResilienceRig.start([.status(503)]) { ResilienceYAML.config(endpoints: $0) }
            defer { rig.stop() }
            let response = try rig.send()
            #expect(response?.status == 503)
            #expect(response?.header("X-Upstream") == "a", "the upstream's own 503, not Tracegate's")
            #expect(rig.upstreams[0].requestCount == 1)
            #expect(rig.value(Self.retries, "cause=\"status\"", in: try rig.metrics()) == 0)
        }

        /// Each failure kind the policy names is retried on the other endpoint: the client gets
        /// 200 every time, the failing endpoint saw requests, and the retries are counted by
        /// cause, one per request the failing endpoint saw.
        @Test(arguments: [
            (SwitchableUpstream.Mode.reset, "reset", "reset"),
            (.status(503), "503", "status"),
            (.status(502), "502", "status"),
            (.status(504), "504", "status"),
            (.hang, "per-try-timeout", "per_try_timeout"),
        ])
        func failedAttemptIsRetriedOnTheHealthyEndpoint(mode: SwitchableUpstream.Mode, condition: String, cause: String) throws {
            let rig = try ResilienceRig.start([mode, .healthy]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy(condition, extra: ", per_try_timeout: 200ms"))
            }
            defer { rig.stop() }
            let (failing, healthy) = (rig.upstreams[0], rig.upstreams[1])
            for i in 0..<6 {
                let (response, elapsed) = try rig.timedSend("GET", "/item/\(i)")
                #expect(response?.status == 200, "request \(i): \(response?.rawHead ?? "no response")")
                #expect(response?.bodyText == "b ok")
                #expect(elapsed < .seconds(2), "request \(i) took \(elapsed)")
            }
            #expect(healthy.requestCount == 6)
            #expect(failing.requestCount >= 1, "round robin sends some first attempts to the failing endpoint")
            let expected = Double(failing.requestCount)
            let scrape = try rig.metrics { rig.value(Self.retries, "cause=\"\(cause)\"", in: $0) >= expected }
            #expect(rig.value(Self.retries, "cause=\"\(cause)\"", in: scrape) == expected,
                    "one retry per failed attempt (\(failing.requestCount) reached \(failing.name))")
            #expect(rig.total(Self.givenUp, in: scrape) == 0)
        }

        /// A retry goes to an endpoint the request has not tried: with one endpoint always 503,
        /// every request ends 200 on the other, and no endpoint sees the same request twice.
        @Test func retryPrefersAnotherEndpoint() throws {
            let rig = try ResilienceRig.start([.status(503), .healthy, .status(503)]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy("503", attempts: 3))
            }
            defer { rig.stop() }
            for i in 0..<12 {
                let response = try rig.send("GET", "/p", headers: ["X-Correlation-ID: prefer-\(i)"])
                #expect(response?.status == 200, "request \(i): \(response?.rawHead ?? "no response")")
            }
            #expect(rig.upstreams[1].requestCount == 12)
            for upstream in rig.upstreams {
                let ids = upstream.requests.compactMap { $0.header("X-Correlation-ID") }
                #expect(Set(ids).count == ids.count, "\(upstream.name) saw a request twice: \(ids.sorted())")
            }
        }

        /// `max_attempts` is exact: a request to an endpoint that always fails reaches it
        /// `max_attempts` times, then the last 503 goes to the client.
        @Test func maxAttemptsIsRespected() throws {
            let rig = try ResilienceRig.start([.status(503)]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy("503", attempts: 3))
            }
            defer { rig.stop() }
            let response = try rig.send()
            #expect(response?.status == 503)
            #expect(response?.header("X-Upstream") == "a")
            #expect(rig.upstreams[0].requestCount == 3)
            let scrape = try rig.metrics { rig.value(Self.givenUp, "reason=\"attempts_exhausted\"", in: $0) >= 1 }
            #expect(rig.value(Self.retries, "cause=\"status\"", in: scrape) == 2)
            #expect(rig.value(Self.givenUp, "reason=\"attempts_exhausted\"", in: scrape) == 1)
        }

        /// RFC 9110 §9.2.2: a POST without `Idempotency-Key` is not repeated after the upstream
        /// saw it; with the key it is.
        @Test func postIsRetriedOnlyWithAnIdempotencyKey() throws {
            let rig = try ResilienceRig.start([.healthy]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy("503"))
            }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            let body = Array("{\"order\":1}".utf8)
            upstream.script([.status(503)])
            let plain = try rig.send("POST", "/orders", body: body)
            #expect(plain?.status == 503, "not retried: the upstream's 503 goes to the client")
            #expect(upstream.requestCount == 1)
            let afterPlain = try rig.metrics { rig.value(Self.givenUp, "reason=\"not_idempotent\"", in: $0) >= 1 }
            #expect(rig.value(Self.givenUp, "reason=\"not_idempotent\"", in: afterPlain) == 1)
            #expect(rig.value(Self.retries, "cause=\"status\"", in: afterPlain) == 0)

            upstream.script([.status(503)])
            let keyed = try rig.send("POST", "/orders", headers: ["Idempotency-Key: 8e03978e-40d5-43e8-bc93-6894a57f9324"], body: body)
            #expect(keyed?.status == 200)
            #expect(upstream.requestCount == 3)
            #expect(upstream.requests.last?.bodyText == "{\"order\":1}", "the retry carried the whole body again")
            let afterKeyed = try rig.metrics { rig.value(Self.retries, "cause=\"status\"", in: $0) >= 1 }
            #expect(rig.value(Self.retries, "cause=\"status\"", in: afterKeyed) == 1)
        }

        /// A body larger than the 64 KiB replay buffer cannot be sent again: the request is not
        /// retried, and that is counted.
        @Test func bodyLargerThanTheReplayBufferIsNotRetried() throws {
            let rig = try ResilienceRig.start([.healthy]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy("503"))
            }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            let large = [UInt8](repeating: UInt8(ascii: "x"), count: 100 * 1024)
            upstream.script([.status(503)])
            let response = try rig.send("PUT", "/blob", headers: ["Idempotency-Key: upload-1"], body: large)
            #expect(response?.status == 503)
            #expect(upstream.requestCount == 1)
            #expect(upstream.requests.first?.bodyLength == large.count)
            let scrape = try rig.metrics { rig.value(Self.givenUp, "reason=\"body_not_replayable\"", in: $0) >= 1 }
            #expect(rig.value(Self.givenUp, "reason=\"body_not_replayable\"", in: scrape) == 1)
            #expect(rig.value(Self.retries, "cause=\"status\"", in: scrape) == 0)
        }

        /// A body within the 64 KiB replay buffer (CONFIG.md: "Tracegate keeps the first 64 KiB of
        /// each request body") is sent again whole on the retry.
        @Test(arguments: [8, 32, 60])
        func bodyWithinTheReplayBufferIsRetriedWhole(kibibytes: Int) throws {
            let rig = try ResilienceRig.start([.healthy]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy("503"))
            }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            let body = (0..<kibibytes * 1024).map { UInt8(truncatingIfNeeded: $0 % 251) }
            upstream.script([.status(503)])
            let response = try rig.send("PUT", "/blob", headers: ["Idempotency-Key: upload-2"], body: body)
            #expect(response?.status == 200, "\(kibibytes) KiB: \(response?.rawHead ?? "no response")")
            #expect(upstream.requestCount == 2)
            #expect(upstream.requests.map(\.bodyLength) == [body.count, body.count])
            #expect(upstream.requests.last?.body == body, "the retry carried the same bytes")
            let scrape = try rig.metrics()
            #expect(rig.value(Self.givenUp, "reason=\"body_not_replayable\"", in: scrape) == 0)
        }

        /// `Retry-After: 0` is honoured (the retry goes at once and succeeds); `Retry-After: 5`
        /// is longer than `retry_after_cap: 1s`, so the 503 goes to the client at once.
        @Test func retryAfterIsHonouredUpToTheCap() throws {
            let rig = try ResilienceRig.start([.healthy]) {
                ResilienceYAML.config(endpoints: $0, retry: Self.policy("503", extra: ", retry_after_cap: 1s"))
            }
            defer { rig.stop() }
            let upstream = rig.upstreams[0]
            upstream.script([.statusRetryAfter(503, "0")])
            let (honoured, fast) = try rig.timedSend()
            #expect(honoured?.status == 200)
            #expect(upstream.requestCount == 2)
            #expect(fast < .milliseconds(900), "Retry-After: 0 took \(fast)")

            upstream.script([.statusRetryAfter(503, "5")])
            let (refused, elapsed) = try rig.timedSend()
            #expect(refused?.status == 503)
            #expect(refused?.header("Retry-After") == "5", "the client gets the upstream's answer, Retry-After included")
            #expect(upstream.requestCount == 3)
            #expect(elapsed < .milliseconds(900), "gave up at once, not after waiting: \(elapsed)")
            let scrape = try rig.metrics { rig.value(Self.givenUp, "reason=\"retry_after_too_long\"", in: $0) >= 1 }
            #expect(rig.value(Self.givenUp, "reason=\"retry_after_too_long\"", in: scrape) == 1)
        }

        /// The overall `timeout` bounds the whole exchange, retries and backoff included: a hung
        /// endpoint with a 200 ms per-try timeout and a 700 ms overall timeout answers 504 after
        /// about 700 ms, having tried at most four times.
        @Test func overallTimeoutBoundsTotalTime() throws {
            let rig = try ResilienceRig.start([.hang]) {
                ResilienceYAML.config(endpoints: $0, routeTimeout: "10s",
                                      retry: Self.policy("per-try-timeout", attempts: 10, extra: ", per_try_timeout: 200ms, timeout: 700ms"))
            }
            defer { rig.stop() }
            let (response, elapsed) = try rig.timedSend()
            ProxyErrors.check(response, status: 504, code: "upstream_timeout")
            #expect(elapsed >= .milliseconds(600) && elapsed < .milliseconds(1_500), "504 after \(elapsed)")
            #expect((2...4).contains(rig.upstreams[0].requestCount), "\(rig.upstreams[0].requestCount) attempts in 700 ms")
            let scrape = try rig.metrics { rig.total(Self.givenUp, in: $0) >= 1 }
            let reasons = scrape.samples.filter { $0.key.hasPrefix(Self.givenUp + "{") }
            #expect(rig.value(Self.givenUp, "reason=\"deadline_exceeded\"", in: scrape) == 1, "\(reasons)")
        }
    }
}
