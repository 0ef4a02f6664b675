// RouteRetryTests.swift — `routes[i].retry`.

import Testing
import TracegateConfig
import TracegateResilience

@Suite("Route retry")
struct RouteRetryTests {
    /// `baseYAML` with `retry` spliced into its route's mapping.
    func yaml(_ retry: String) -> String {
        baseYAML.replacingOccurrences(of: "routes: [{cluster: c}]", with: "routes: [{cluster: c, retry: \(retry)}]")
    }

    func loadRetry(_ retry: String, sourceLocation: SourceLocation = #_sourceLocation) -> RetryPolicy? {
        loadValid(yaml(retry), sourceLocation: sourceLocation)?.routes.first?.retry
    }

    @Test("a route without retry keeps none (the snapshot gives it connect-failure only)")
    func absent() throws {
        let route = try #require(loadValid(baseYAML)?.routes.first)
        #expect(route.retry == nil)
        #expect(route.mirror == nil)
    }

    @Test("an empty retry block is RetryPolicy.default, with no per-try timeout of its own")
    func emptyBlock() throws {
        let policy = try #require(loadRetry("{}"))
        #expect(policy == RetryPolicy.default)
        #expect(policy.maxAttempts == 2)
        #expect(policy.retryOn == [.connectFailure, .reset, .status502, .status503])
        #expect(policy.retriableStatusCodes.isEmpty)
        #expect(policy.perTryTimeout == nil)
        #expect(policy.timeout == nil)
        #expect(policy.backoff == Backoff.default)
        #expect(policy.retryAfterCap == 1_000_000_000)
    }

    @Test("every key is read")
    func everyKey() throws {
        let text = baseYAML.replacingOccurrences(
            of: "routes: [{cluster: c}]",
            with: """
                routes:
                  - cluster: c
                    timeout: 30s
                    retry:
                      max_attempts: 3
                      retry_on: [connect-failure, reset, per-try-timeout, 502, 503, 504]
                      retriable_status_codes: [429, 409]
                      per_try_timeout: 2s
                      timeout: 10s
                      backoff: {base: 25ms, max: 250ms}
                      retry_after_cap: 1s
                """
        )
        let policy = try #require(loadValid(text)?.routes.first?.retry)
        let expected = try RetryPolicy(
            maxAttempts: 3,
            retryOn: [.connectFailure, .reset, .perTryTimeout, .status502, .status503, .status504],
            retriableStatusCodes: StatusCodeSet([429, 409]),
            perTryTimeout: 2_000_000_000,
            timeout: 10_000_000_000,
            backoff: Backoff(base: 25_000_000, max: 250_000_000),
            retryAfterCap: 1_000_000_000
        )
        #expect(policy == expected)
        #expect(policy.retriableStatusCodes.contains(429))
        #expect(!policy.retriableStatusCodes.contains(500))
    }

    @Test(
        "retry_on conditions",
        arguments: [
            ("[gateway-error]", RetryOn.gatewayError),
            ("[connect-failure]", RetryOn.connectFailure),
            ("[reset, \"503\"]", RetryOn([.reset, .status503])),
            ("[gateway-error, 502]", RetryOn.gatewayError),
            ("[per-try-timeout]", RetryOn.perTryTimeout),
            ("[]", RetryOn()),
        ]
    )
    func retryOn(list: String, expected: RetryOn) throws {
        let policy = try #require(loadRetry("{retry_on: \(list)}"))
        #expect(policy.retryOn == expected)
    }

    @Test("backoff defaults follow the key that was written")
    func backoffDefaults() throws {
        #expect(
            try #require(loadRetry("{backoff: {base: 100ms}}")).backoff
                == Backoff(base: 100_000_000, max: 1_000_000_000)
        )
        #expect(
            try #require(loadRetry("{backoff: {base: 10m}}")).backoff
                == Backoff(base: 600_000_000_000, max: 3_600_000_000_000)
        )
        #expect(try #require(loadRetry("{backoff: {max: 10ms}}")).backoff == Backoff(base: 10_000_000, max: 10_000_000))
        #expect(
            try #require(loadRetry("{backoff: {max: 1s}}")).backoff == Backoff(base: 25_000_000, max: 1_000_000_000)
        )
        #expect(try #require(loadRetry("{backoff: {}}")).backoff == Backoff.default)
    }

    @Test("retry_after_cap may be zero (never wait for Retry-After)")
    func zeroCap() throws {
        #expect(try #require(loadRetry("{retry_after_cap: 0s}")).retryAfterCap == 0)
    }

    @Test(
        "errors name the key path; ranges come from RetryPolicy",
        arguments: [
            ("{max_attempts: 0}", "routes[0].retry.max_attempts: must be in 1...100, got 0"),
            ("{max_attempts: 101}", "routes[0].retry.max_attempts: must be in 1...100, got 101"),
            ("{max_attempts: three}", "routes[0].retry.max_attempts: expected an integer"),
            (
                "{retry_on: [rest]}",
                "routes[0].retry.retry_on[0]: expected one of connect-failure, reset, per-try-timeout, gateway-error, "
                    + "502, 503, 504; got \"rest\" (did you mean \"reset\"?)"
            ),
            (
                "{retry_on: [reset, 500]}",
                "routes[0].retry.retry_on[1]: expected one of connect-failure, reset, per-try-timeout, gateway-error, "
                    + "502, 503, 504; got \"500\" (other statuses go in retriable_status_codes)"
            ),
            ("{retry_on: [reset, reset]}", "routes[0].retry.retry_on[1]: duplicate condition \"reset\""),
            ("{retry_on: reset}", "routes[0].retry.retry_on: expected a list"),
            (
                "{retriable_status_codes: [429, 600]}",
                "routes[0].retry.retriable_status_codes[1]: must be in 100...599, got 600"
            ),
            (
                "{retriable_status_codes: [99999]}",
                "routes[0].retry.retriable_status_codes[0]: must be in 100...599, got 99999"
            ),
            ("{retriable_status_codes: [\"429\"]}", "routes[0].retry.retriable_status_codes[0]: expected an integer"),
            ("{per_try_timeout: 2h}", "routes[0].retry.per_try_timeout: must be in 1ms...1h, got 2h"),
            ("{per_try_timeout: 0s}", "routes[0].retry.per_try_timeout: must be in 1ms...1h, got 0s"),
            ("{timeout: 90m}", "routes[0].retry.timeout: must be in 1ms...1h, got 90m"),
            ("{timeout: soon}", "routes[0].retry.timeout: " + durationExpected),
            ("{retry_after_cap: 2h}", "routes[0].retry.retry_after_cap: must be in 0s...1h, got 2h"),
            (
                "{backoff: {base: 1s, max: 100ms}}",
                "routes[0].retry.backoff.base: must be in 0.000000001s...100ms, got 1s"
            ),
            ("{backoff: {max: 2h}}", "routes[0].retry.backoff.max: must be in 0.000000001s...1h, got 2h"),
            ("{backoff: {base: 2h}}", "routes[0].retry.backoff.base: must be in 0.000000001s...1h, got 2h"),
            ("{backoff: 25ms}", "routes[0].retry.backoff: expected a mapping"),
            ("{backoff: {bse: 1s}}", "routes[0].retry.backoff.bse: unknown key \"bse\" (did you mean \"base\"?)"),
            (
                "{max_atempts: 3}",
                "routes[0].retry.max_atempts: unknown key \"max_atempts\" (did you mean \"max_attempts\"?)"
            ),
            ("3", "routes[0].retry: expected a mapping"),
        ]
    )
    func errors(retry: String, expected: String) {
        #expect(loadErrors(yaml(retry)) == [expected])
    }

    @Test("every bad key of one block is reported, in document order")
    func allErrors() {
        #expect(
            loadErrors(yaml("{max_attempts: 0, timeout: nope, backoff: {base: x}}")) == [
                "routes[0].retry.timeout: " + durationExpected,
                "routes[0].retry.backoff.base: " + durationExpected,
            ]
        )
        #expect(
            loadErrors(
                yaml("{max_attempts: 0, per_try_timeout: 2h, backoff: {base: 2h, max: 2h}, retry_after_cap: 2h}")
            ) == [
                "routes[0].retry.max_attempts: must be in 1...100, got 0",
                "routes[0].retry.per_try_timeout: must be in 1ms...1h, got 2h",
                "routes[0].retry.backoff.base: must be in 0.000000001s...1h, got 2h",
                "routes[0].retry.backoff.max: must be in 0.000000001s...1h, got 2h",
                "routes[0].retry.retry_after_cap: must be in 0s...1h, got 2h",
            ]
        )
    }
}

/// What the duration reader says about text that is not a duration.
let durationExpected = "expected a duration such as \"250ms\", \"1.5s\", \"30m\" or an integer number of seconds"
