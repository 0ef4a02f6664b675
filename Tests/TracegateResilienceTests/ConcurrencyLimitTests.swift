// ConcurrencyLimitTests.swift — the four per-cluster caps, what overflows and what is released.

import Testing
import TracegateResilience

@Suite struct ConcurrencyLimitTests {
    @Test(arguments: ConcurrencyResource.allCases)
    func eachCapAdmitsUpToItsLimitThenNamesItself(resource: ConcurrencyResource) throws {
        var limits = ConcurrencyLimit(
            configuration: try .init(maxConnections: 3, maxPendingRequests: 3, maxRequests: 3, maxRetries: 3)
        )
        for _ in 0..<3 {
            #expect(limits.tryAcquire(resource) == nil)
        }
        #expect(limits.count(resource) == 3)
        #expect(limits.remaining(resource) == 0)
        #expect(limits.tryAcquire(resource)?.resource == resource)
        #expect(limits.count(resource) == 3, "a refused acquire takes nothing")
        limits.release(resource)
        #expect(limits.remaining(resource) == 1)
        #expect(limits.tryAcquire(resource) == nil)
    }

    @Test func capsAreIndependent() throws {
        var limits = ConcurrencyLimit(
            configuration: try .init(maxConnections: 1, maxPendingRequests: 2, maxRequests: 3, maxRetries: 0)
        )
        #expect(limits.tryAcquire(.retries)?.headerValue == "max_retries")
        #expect(limits.tryAcquire(.connections) == nil)
        #expect(limits.tryAcquire(.connections)?.headerValue == "max_connections")
        #expect(limits.tryAcquire(.requests) == nil)
        #expect(limits.tryAcquire(.pendingRequests) == nil)
        #expect(limits.tryAcquire(.pendingRequests) == nil)
        #expect(limits.tryAcquire(.pendingRequests)?.headerValue == "max_pending_requests")
        #expect(limits.count(.requests) == 1)
        #expect(limits.tryAcquire(.requests) == nil)
        #expect(limits.tryAcquire(.requests) == nil)
        #expect(limits.tryAcquire(.requests)?.headerValue == "max_requests")
    }

    @Test func defaultsAreEnvoys() {
        let defaults = ConcurrencyLimit.Configuration.default
        #expect(defaults.maxConnections == 1_024)
        #expect(defaults.maxPendingRequests == 1_024)
        #expect(defaults.maxRequests == 1_024)
        #expect(defaults.maxRetries == 3)
        #expect(ConcurrencyLimit().remaining(.retries) == 3)
    }

    @Test func invalidSettingsAreRejectedWithTheirKey() {
        #expect(configError { _ = try ConcurrencyLimit.Configuration(maxConnections: -1) }?.key == "max_connections")
        #expect(
            configError { _ = try ConcurrencyLimit.Configuration(maxPendingRequests: -1) }?.key
                == "max_pending_requests"
        )
        #expect(configError { _ = try ConcurrencyLimit.Configuration(maxRequests: 1_000_001) }?.key == "max_requests")
        #expect(configError { _ = try ConcurrencyLimit.Configuration(maxRetries: -5) }?.key == "max_retries")
    }
}
