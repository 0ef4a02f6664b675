// ClusterResilienceTests.swift — `clusters[i].retry_budget`, `circuit_breakers`, `outlier_detection`.

import Testing
import TracegateConfig
import TracegateResilience

@Suite("Cluster resilience")
struct ClusterResilienceTests {
    /// `baseYAML` with `cluster` spliced into its cluster's mapping.
    func yaml(_ cluster: String) -> String {
        baseYAML.replacingOccurrences(
            of: "clusters: [{name: c, endpoints: [\"127.0.0.1:9000\"]}]",
            with: "clusters: [{name: c, endpoints: [\"127.0.0.1:9000\"], \(cluster)}]"
        )
    }

    func loadCluster(_ snippet: String, sourceLocation: SourceLocation = #_sourceLocation) -> ClusterConfiguration? {
        loadValid(yaml(snippet), sourceLocation: sourceLocation)?.clusters.first
    }

    @Test("a cluster without the blocks keeps the resilience defaults, no breaker and no ejection")
    func absent() throws {
        let cluster = try #require(loadValid(baseYAML)?.clusters.first)
        #expect(cluster.retryBudget == RetryBudget.Configuration.default)
        #expect(cluster.circuitBreakers == CircuitBreakersConfiguration())
        #expect(cluster.circuitBreakers.limits == ConcurrencyLimit.Configuration.default)
        #expect(cluster.circuitBreakers.failureRate == nil)
        #expect(cluster.outlierDetection == nil)
    }

    @Test("empty blocks take the defaults; an empty failure_rate or outlier_detection turns it on")
    func emptyBlocks() throws {
        let cluster = try #require(
            loadCluster("retry_budget: {}, circuit_breakers: {failure_rate: {}}, outlier_detection: {}")
        )
        #expect(cluster.retryBudget == RetryBudget.Configuration.default)
        #expect(cluster.circuitBreakers.limits == ConcurrencyLimit.Configuration.default)
        #expect(cluster.circuitBreakers.failureRate == CircuitBreaker.Configuration.default)
        #expect(cluster.outlierDetection == OutlierDetector.Configuration.default)
    }

    @Test("every key is read")
    func everyKey() throws {
        let text = baseYAML.replacingOccurrences(
            of: "clusters: [{name: c, endpoints: [\"127.0.0.1:9000\"]}]",
            with: """
                clusters:
                  - name: c
                    endpoints: ["127.0.0.1:9000"]
                    retry_budget:
                      retry_ratio: 0.1
                      min_retries_per_second: 5
                      ttl: 20s
                    circuit_breakers:
                      max_connections: 512
                      max_pending_requests: 256
                      max_requests: 2048
                      max_retries: 8
                      failure_rate:
                        window_size: 50
                        minimum_calls: 20
                        failure_rate_threshold: 0.25
                        slow_call_rate_threshold: 0.75
                        slow_call_duration: 2s
                        open_duration: 15s
                        probe_requests: 3
                    outlier_detection:
                      consecutive_5xx: 7
                      consecutive_gateway_failures: 3
                      base_ejection_time: 10s
                      max_ejection_time: 120s
                      max_ejection_percent: 50
                      always_eject_one: true
                      decay_interval: 5s
                """
        )
        let cluster = try #require(loadValid(text)?.clusters.first)
        #expect(
            cluster.retryBudget
                == (try RetryBudget.Configuration(ttl: 20_000_000_000, minRetriesPerSecond: 5, retryRatio: 0.1))
        )
        #expect(
            cluster.circuitBreakers.limits
                == (try ConcurrencyLimit.Configuration(
                    maxConnections: 512,
                    maxPendingRequests: 256,
                    maxRequests: 2_048,
                    maxRetries: 8
                ))
        )
        #expect(
            cluster.circuitBreakers.failureRate
                == (try CircuitBreaker.Configuration(
                    windowSize: 50,
                    minimumCalls: 20,
                    failureRateThreshold: 0.25,
                    slowCallRateThreshold: 0.75,
                    slowCallDuration: 2_000_000_000,
                    openDuration: 15_000_000_000,
                    probeRequests: 3
                ))
        )
        #expect(
            cluster.outlierDetection
                == (try OutlierDetector.Configuration(
                    consecutive5xx: 7,
                    consecutiveGatewayFailures: 3,
                    baseEjectionTime: 10_000_000_000,
                    maxEjectionTime: 120_000_000_000,
                    maxEjectionPercent: 50,
                    alwaysEjectOne: true,
                    decayInterval: 5_000_000_000
                ))
        )
    }

    @Test("a defaulted key never contradicts a written one")
    func derivedDefaults() throws {
        let small = try #require(loadCluster("circuit_breakers: {failure_rate: {window_size: 10}}"))
        #expect(small.circuitBreakers.failureRate?.minimumCalls == 10)
        let large = try #require(loadCluster("circuit_breakers: {failure_rate: {window_size: 1000}}"))
        #expect(large.circuitBreakers.failureRate?.minimumCalls == 100)
        let long = try #require(loadCluster("outlier_detection: {base_ejection_time: 10m}"))
        #expect(long.outlierDetection?.maxEjectionTime == 600_000_000_000)
        let short = try #require(loadCluster("outlier_detection: {base_ejection_time: 1s}"))
        #expect(short.outlierDetection?.maxEjectionTime == 300_000_000_000)
    }

    @Test("zero thresholds refuse everything and are allowed; a zero ratio and floor disable retries")
    func zeros() throws {
        let cluster = try #require(
            loadCluster("retry_budget: {retry_ratio: 0, min_retries_per_second: 0}, circuit_breakers: {max_retries: 0}")
        )
        #expect(cluster.retryBudget.retryRatio == 0)
        #expect(cluster.retryBudget.minRetriesPerSecond == 0)
        #expect(cluster.circuitBreakers.limits.maxRetries == 0)
    }

    @Test(
        "errors name the key path; ranges come from the resilience module",
        arguments: [
            (
                "retry_budget: {retry_ratio: -0.5}",
                "clusters[0].retry_budget.retry_ratio: must be in 0.0...1000.0, got -0.5"
            ),
            ("retry_budget: {retry_ratio: lots}", "clusters[0].retry_budget.retry_ratio: expected a number"),
            (
                "retry_budget: {min_retries_per_second: -1}",
                "clusters[0].retry_budget.min_retries_per_second: must be in 0...1000000, got -1"
            ),
            ("retry_budget: {ttl: 500ms}", "clusters[0].retry_budget.ttl: must be in 1s...1m, got 500ms"),
            ("retry_budget: {ttl: 2m}", "clusters[0].retry_budget.ttl: must be in 1s...1m, got 2m"),
            (
                "retry_budget: {retry_ration: 0.1}",
                "clusters[0].retry_budget.retry_ration: unknown key \"retry_ration\" (did you mean \"retry_ratio\"?)"
            ),
            (
                "circuit_breakers: {max_connections: 2000000}",
                "clusters[0].circuit_breakers.max_connections: must be in 0...1000000, got 2000000"
            ),
            (
                "circuit_breakers: {max_pending_requests: -1}",
                "clusters[0].circuit_breakers.max_pending_requests: must be in 0...1000000, got -1"
            ),
            (
                "circuit_breakers: {max_requests: -1}",
                "clusters[0].circuit_breakers.max_requests: must be in 0...1000000, got -1"
            ),
            ("circuit_breakers: {max_retries: many}", "clusters[0].circuit_breakers.max_retries: expected an integer"),
            (
                "circuit_breakers: {max_retry: 3}",
                "clusters[0].circuit_breakers.max_retry: unknown key \"max_retry\" (did you mean \"max_retries\"?)"
            ),
            (
                "circuit_breakers: {failure_rate: {window_size: 0}}",
                "clusters[0].circuit_breakers.failure_rate.window_size: must be in 1...10000, got 0"
            ),
            (
                "circuit_breakers: {failure_rate: {window_size: 10, minimum_calls: 20}}",
                "clusters[0].circuit_breakers.failure_rate.minimum_calls: must be in 1...10, got 20"
            ),
            (
                "circuit_breakers: {failure_rate: {failure_rate_threshold: 0}}",
                "clusters[0].circuit_breakers.failure_rate.failure_rate_threshold: must be greater than 0, got 0.0"
            ),
            (
                "circuit_breakers: {failure_rate: {slow_call_rate_threshold: 1.5}}",
                "clusters[0].circuit_breakers.failure_rate.slow_call_rate_threshold: must be in 0.0...1.0, got 1.5"
            ),
            (
                "circuit_breakers: {failure_rate: {slow_call_duration: 2h}}",
                "clusters[0].circuit_breakers.failure_rate.slow_call_duration: must be in 1ms...1h, got 2h"
            ),
            (
                "circuit_breakers: {failure_rate: {open_duration: 0s}}",
                "clusters[0].circuit_breakers.failure_rate.open_duration: must be in 1ms...1h, got 0s"
            ),
            (
                "circuit_breakers: {failure_rate: {probe_requests: 0}}",
                "clusters[0].circuit_breakers.failure_rate.probe_requests: must be in 1...1000, got 0"
            ),
            (
                "circuit_breakers: {failure_rate: {window: 10}}",
                "clusters[0].circuit_breakers.failure_rate.window: unknown key \"window\""
            ),
            ("circuit_breakers: {failure_rate: true}", "clusters[0].circuit_breakers.failure_rate: expected a mapping"),
            (
                "outlier_detection: {consecutive_5xx: -1}",
                "clusters[0].outlier_detection.consecutive_5xx: must be in 0...10000, got -1"
            ),
            (
                "outlier_detection: {consecutive_gateway_failures: 10001}",
                "clusters[0].outlier_detection.consecutive_gateway_failures: must be in 0...10000, got 10001"
            ),
            (
                "outlier_detection: {base_ejection_time: 2h}",
                "clusters[0].outlier_detection.base_ejection_time: must be in 1ms...1h, got 2h"
            ),
            (
                "outlier_detection: {base_ejection_time: 60s, max_ejection_time: 30s}",
                "clusters[0].outlier_detection.max_ejection_time: must be in 1m...24h, got 30s"
            ),
            (
                "outlier_detection: {max_ejection_percent: 101}",
                "clusters[0].outlier_detection.max_ejection_percent: must be in 0...100, got 101"
            ),
            (
                "outlier_detection: {always_eject_one: sometimes}",
                "clusters[0].outlier_detection.always_eject_one: expected true or false"
            ),
            (
                "outlier_detection: {decay_interval: 0s}",
                "clusters[0].outlier_detection.decay_interval: must be in 1ms...1h, got 0s"
            ),
            (
                "outlier_detection: {consecutive_5xxx: 3}",
                "clusters[0].outlier_detection.consecutive_5xxx: unknown key \"consecutive_5xxx\" (did you mean \"consecutive_5xx\"?)"
            ),
            ("outlier_detection: null", "clusters[0].outlier_detection: expected a mapping"),
            (
                "circuit_breaker: {}",
                "clusters[0].circuit_breaker: unknown key \"circuit_breaker\" (did you mean \"circuit_breakers\"?)"
            ),
        ]
    )
    func errors(snippet: String, expected: String) {
        #expect(loadErrors(yaml(snippet)) == [expected])
    }

    @Test("every bad value of the blocks is reported together, in document order")
    func allErrors() {
        let text = yaml(
            "retry_budget: {retry_ratio: -1, ttl: 0s}, circuit_breakers: {max_requests: -1, max_retries: -1, "
                + "failure_rate: {probe_requests: 0}}, outlier_detection: {max_ejection_percent: 200}"
        )
        #expect(
            loadErrors(text) == [
                "clusters[0].retry_budget.retry_ratio: must be in 0.0...1000.0, got -1.0",
                "clusters[0].retry_budget.ttl: must be in 1s...1m, got 0s",
                "clusters[0].circuit_breakers.max_requests: must be in 0...1000000, got -1",
                "clusters[0].circuit_breakers.max_retries: must be in 0...1000000, got -1",
                "clusters[0].circuit_breakers.failure_rate.probe_requests: must be in 1...1000, got 0",
                "clusters[0].outlier_detection.max_ejection_percent: must be in 0...100, got 200",
            ]
        )
    }
}
