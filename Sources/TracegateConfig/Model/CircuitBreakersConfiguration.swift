// CircuitBreakersConfiguration.swift — a cluster's two kinds of circuit breaker.

import TracegateResilience

/// `clusters[i].circuit_breakers` — what a cluster refuses at once instead of queueing or
/// sending: past a concurrency threshold (Envoy's circuit breakers), or to an endpoint whose
/// recent calls failed too often (resilience4j's failure-rate breaker).
///
/// The thresholds are for the whole process; the snapshot divides them among the workers
/// (rounding up), since workers share nothing.
public struct CircuitBreakersConfiguration: Sendable, Equatable {
    /// `max_connections`, `max_pending_requests`, `max_requests`, `max_retries`. Default
    /// `ConcurrencyLimit.Configuration.default` (1024, 1024, 1024, 3).
    public var limits: ConcurrencyLimit.Configuration
    /// `failure_rate`. The breaker each endpoint gets; nil (the default) for none.
    public var failureRate: CircuitBreaker.Configuration?

    /// The default thresholds and no failure-rate breaker, unless given.
    public init(limits: ConcurrencyLimit.Configuration = .default, failureRate: CircuitBreaker.Configuration? = nil) {
        self.limits = limits
        self.failureRate = failureRate
    }
}
