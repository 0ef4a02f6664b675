// SnapshotResilienceTests: routes' retry and mirror and clusters' resilience settings reach the
// snapshot, with process-wide figures divided per worker.
import Testing
import TracegateConfig
@testable import TracegateControl
import TracegateDataPlane
import TracegateHTTP
import TracegateResilience

@Suite struct SnapshotResilienceTests {
    static let yaml = """
        listeners: [{ address: "127.0.0.1:0" }]
        routes:
          - name: api
            match: { path_prefix: "/api/" }
            cluster: api
            timeout: 7s
            retry: { max_attempts: 3, retry_on: [reset, 503], timeout: 10s }
            mirror:
              cluster: staging
              fraction: 0.25
              host_suffix: ".shadow"
              methods: [get, POST]
              max_body: 1KiB
              max_in_flight: 10
              timeout: 750ms
              compare: body
          - name: plain
            cluster: staging
        clusters:
          - name: api
            endpoints: ["127.0.0.1:9001"]
            retry_budget: { retry_ratio: 0.3, min_retries_per_second: 9, ttl: 20s }
            circuit_breakers:
              max_connections: 100
              max_pending_requests: 7
              max_requests: 4
              max_retries: 3
              failure_rate: { window_size: 20, probe_requests: 2 }
            outlier_detection: { consecutive_5xx: 3 }
          - name: staging
            endpoints: ["127.0.0.1:9002"]
        """

    static func build(workers: Int) throws -> RuntimeSnapshot {
        try SnapshotBuilder.build(try TracegateConfiguration.load(yaml: yaml), version: 1, workers: workers, slots: MetricSlots())
    }

    @Test(arguments: [(0, 1, 0), (0, 4, 0), (1, 4, 1), (3, 4, 1), (4, 4, 1), (5, 4, 2), (8, 4, 2), (9, 4, 3),
                      (1_024, 3, 342), (1_000_000, 7, 142_858), (10, 1, 10), (10, 0, 10)])
    func perWorkerRoundsUpAndKeepsZero(value: Int, workers: Int, expected: Int) {
        #expect(SnapshotBuilder.perWorker(value, workers: workers) == expected)
    }

    @Test func absoluteFiguresAreDividedPerWorkerRatiosAndTimesAreNot() throws {
        let snapshot = try Self.build(workers: 4)
        let api = snapshot.clusters[0].resilience
        #expect(api.limits == (try ConcurrencyLimit.Configuration(maxConnections: 25, maxPendingRequests: 2, maxRequests: 1,
                                                                     maxRetries: 1)))
        #expect(api.retryBudget == (try RetryBudget.Configuration(ttl: 20_000_000_000, minRetriesPerSecond: 3, retryRatio: 0.3)))
        #expect(api.breaker == (try CircuitBreaker.Configuration(windowSize: 20, minimumCalls: 20, probeRequests: 2)))
        #expect(api.outlier == (try OutlierDetector.Configuration(consecutive5xx: 3)))
        let one = try Self.build(workers: 1).clusters[0].resilience
        #expect(one.limits == (try ConcurrencyLimit.Configuration(maxConnections: 100, maxPendingRequests: 7, maxRequests: 4,
                                                                     maxRetries: 3)))
        #expect(one.retryBudget.minRetriesPerSecond == 9)
    }

    @Test func aClusterWithoutBlocksGetsTheDefaultsPerWorkerAndNoBreakerOrEjection() throws {
        let staging = try Self.build(workers: 4).clusters[1].resilience
        #expect(staging.limits == (try ConcurrencyLimit.Configuration(maxConnections: 256, maxPendingRequests: 256,
                                                                         maxRequests: 256, maxRetries: 1)))
        #expect(staging.retryBudget == (try RetryBudget.Configuration(minRetriesPerSecond: 3)))
        #expect(staging.breaker == nil)
        #expect(staging.outlier == nil)
    }

    @Test func routesCarryTheirRetryPolicyOrConnectFailureOnly() throws {
        let snapshot = try Self.build(workers: 2)
        let api = snapshot.routes[0]
        #expect(api.retry == (try RetryPolicy(maxAttempts: 3, retryOn: [.reset, .status503], timeout: 10_000_000_000)))
        // No per_try_timeout: the worker uses the route's timeout for each try.
        #expect(api.retry.perTryTimeout == nil)
        #expect(api.responseTimeoutNanos == 7_000_000_000)
        #expect(snapshot.routes[1].retry == RetryPolicy.connectFailureOnly)
    }

    @Test func theMirrorIsResolvedWithItsInFlightShareAtLeastOne() throws {
        let snapshot = try Self.build(workers: 4)
        let mirror = try #require(snapshot.routes[0].mirror)
        #expect(mirror.clusterIndex == 1)
        #expect(mirror.selector == (try MirrorSelector(fraction: 0.25)))
        #expect(mirror.methods == [HTTPMethod.get, .post])
        #expect(mirror.mirrors(.get) && mirror.mirrors(.post) && !mirror.mirrors(.put))
        #expect(mirror.hostSuffix == Array(".shadow".utf8))
        #expect(mirror.maxBody == 1_024)
        #expect(mirror.maxInFlight == 3)
        #expect(mirror.timeoutNanos == 750_000_000)
        #expect(mirror.compareBody)
        #expect(snapshot.routes[1].mirror == nil)
        #expect(try #require(Self.build(workers: 64).routes[0].mirror).maxInFlight == 1)
    }

    @Test func aMirrorDefaultMirrorsEveryMethodWithTheDefaultSuffix() throws {
        var config = try TracegateConfiguration.load(yaml: Self.yaml)
        config.routes[0].mirror = MirrorConfiguration(cluster: "staging", selector: try MirrorSelector(fraction: 1))
        let mirror = try #require(SnapshotBuilder.build(config, version: 1, workers: 1, slots: MetricSlots()).routes[0].mirror)
        #expect(mirror.methods.isEmpty)
        #expect(mirror.mirrors(.patch))
        #expect(mirror.hostSuffix == Array("-shadow".utf8))
        #expect(mirror.maxInFlight == 64)
        #expect(mirror.maxBody == 65_536)
        #expect(mirror.timeoutNanos == 5_000_000_000)
        #expect(!mirror.compareBody)
    }

    @Test func aMirrorOfAnUnknownClusterBuiltInCodeIsAnError() throws {
        var config = try TracegateConfiguration.load(yaml: Self.yaml)
        config.routes[0].mirror?.cluster = "nowhere"
        do {
            _ = try SnapshotBuilder.build(config, version: 1, workers: 1, slots: MetricSlots())
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description) == ["routes[0].mirror.cluster: unknown cluster \"nowhere\""])
        }
    }
}
