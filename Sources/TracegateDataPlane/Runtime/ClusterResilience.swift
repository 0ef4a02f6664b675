// ClusterResilience: a cluster's retry budget, thresholds, breaker and ejection settings, per worker.
import TracegateResilience

/// The resilience settings of one cluster as one worker enforces them.
///
/// Why per worker: workers share nothing (DESIGN.md principle 1), so each enforces its share. The
/// snapshot builder divides the absolute figures (`limits`, the budget's floor) by the worker
/// count, rounding up, and leaves ratios and windows as they are; `docs/OPERATIONS.md` gives the
/// arithmetic for the whole process and for many instances.
public struct ClusterResilience: Sendable, Equatable {
    /// The retry budget (ratio of requests over `ttl`, plus a per-second floor divided per worker).
    public var retryBudget: RetryBudget.Configuration
    /// Concurrency thresholds: connections, pending requests, requests and retries in flight.
    public var limits: ConcurrencyLimit.Configuration
    /// The failure-rate breaker each endpoint gets; nil when the cluster has none.
    public var breaker: CircuitBreaker.Configuration?
    /// Outlier ejection over the cluster's endpoints; nil when the cluster has none.
    public var outlier: OutlierDetector.Configuration?

    public init(retryBudget: RetryBudget.Configuration = .default, limits: ConcurrencyLimit.Configuration = .default,
                breaker: CircuitBreaker.Configuration? = nil, outlier: OutlierDetector.Configuration? = nil) {
        self.retryBudget = retryBudget
        self.limits = limits
        self.breaker = breaker
        self.outlier = outlier
    }
}
