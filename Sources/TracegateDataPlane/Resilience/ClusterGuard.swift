// ClusterGuard: one worker's live resilience state for one cluster.
import TracegateResilience

/// The retry budget, concurrency thresholds, per-endpoint breakers and outlier detector of one
/// cluster on one worker: the mutable state the pure `TracegateResilience` types keep, owned by
/// the worker thread and never shared.
///
/// Why one value per cluster (and not per pool): budgets and thresholds are the cluster's, and
/// the breakers and the detector address endpoints by their position in the cluster, which is
/// what `Exchange.member` records. A reload that leaves a cluster's endpoints and settings alone
/// keeps its guard, so a reload never closes an open breaker or forgets an ejection.
struct ClusterGuard {
    let name: String
    let endpoints: [SocketAddress]
    let settings: ClusterResilience
    /// Changes whenever guards are rebuilt for a different cluster at this index.
    let epoch: UInt32
    var budget: RetryBudget
    var limits: ConcurrencyLimit
    /// One breaker per endpoint; empty when the cluster has no `failure_rate` breaker.
    var breakers: [CircuitBreaker]
    var detector: OutlierDetector?

    init(cluster: RuntimeSnapshot.Cluster, epoch: UInt32, now: UInt64) {
        name = cluster.name
        endpoints = cluster.endpoints
        settings = cluster.resilience
        self.epoch = epoch
        budget = RetryBudget(configuration: settings.retryBudget, now: now)
        limits = ConcurrencyLimit(configuration: settings.limits)
        if let breaker = settings.breaker {
            breakers = Array(repeating: CircuitBreaker(configuration: breaker), count: cluster.endpoints.count)
        } else {
            breakers = []
        }
        detector = settings.outlier.map { OutlierDetector(configuration: $0, endpointCount: cluster.endpoints.count) }
    }

    /// Whether this guard can keep serving `cluster` after a reload (same name, endpoints in the
    /// same order, same settings).
    func fits(_ cluster: RuntimeSnapshot.Cluster) -> Bool {
        name == cluster.name && endpoints == cluster.endpoints && settings == cluster.resilience
    }

    /// Nothing to consult per attempt beyond the counters: no breakers and no ejection.
    var isPlain: Bool { breakers.isEmpty && detector == nil }
}
