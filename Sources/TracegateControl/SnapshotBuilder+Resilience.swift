// SnapshotBuilder+Resilience: routes' retry and mirror, clusters' budget, thresholds, breaker and
// ejection, resolved for the workers.
import TracegateConfig
import TracegateDataPlane
import TracegateHTTP
import TracegateResilience

extension SnapshotBuilder {
    /// `value` shared among `workers`, rounding up: each worker's share of a process-wide figure.
    ///
    /// Why round up: a worker's share must never be 0 for a non-zero figure (a 3-retry limit over
    /// 4 workers would otherwise refuse every retry), at the cost of the process admitting up to
    /// `workers − 1` more than written. 0 stays 0: a threshold of 0 means "refuse everything".
    static func perWorker(_ value: Int, workers: Int) -> Int {
        let workers = max(1, workers)
        guard value > 0 else { return max(0, value) }
        return value / workers + (value % workers == 0 ? 0 : 1)
    }

    /// A cluster's resilience settings as one worker enforces them: the four concurrency
    /// thresholds and the budget's per-second floor divided per worker; the budget's ratio and
    /// window, the breaker and the ejection settings as written.
    ///
    /// A division only lowers values the resilience initialisers already accepted, so the errors
    /// reported here cannot arise from a loaded configuration; they are kept (with the key path)
    /// rather than trapped, since a configuration built in code is not validated.
    static func clusterResilience(_ c: ClusterConfiguration, workers: Int, path: String,
                                  errors: inout [ConfigError]) -> ClusterResilience {
        var resilience = ClusterResilience(breaker: c.circuitBreakers.failureRate, outlier: c.outlierDetection)
        let budget = c.retryBudget
        do {
            resilience.retryBudget = try RetryBudget.Configuration(
                ttl: budget.ttl, minRetriesPerSecond: perWorker(budget.minRetriesPerSecond, workers: workers),
                retryRatio: budget.retryRatio)
        } catch {
            errors.append(ConfigError(keyPath: "\(path).retry_budget.\(error.key)", reason: error.reason))
        }
        let limits = c.circuitBreakers.limits
        do {
            resilience.limits = try ConcurrencyLimit.Configuration(
                maxConnections: perWorker(limits.maxConnections, workers: workers),
                maxPendingRequests: perWorker(limits.maxPendingRequests, workers: workers),
                maxRequests: perWorker(limits.maxRequests, workers: workers),
                maxRetries: perWorker(limits.maxRetries, workers: workers))
        } catch {
            errors.append(ConfigError(keyPath: "\(path).circuit_breakers.\(error.key)", reason: error.reason))
        }
        return resilience
    }

    /// A route's mirror as the workers run it: the cluster by index, methods as `HTTPMethod`, the
    /// host suffix as bytes, times in nanoseconds, and `max_in_flight` as one worker's share (at
    /// least 1). nil, with an error, when the cluster does not exist (only possible for a
    /// configuration built in code: the loaders check it).
    static func mirrorPolicy(_ m: MirrorConfiguration, config: TracegateConfiguration, workers: Int, path: String,
                             errors: inout [ConfigError]) -> MirrorPolicy? {
        guard let clusterIndex = config.clusterIndex(named: m.cluster) else {
            errors.append(ConfigError(keyPath: "\(path).cluster", reason: "unknown cluster \"\(m.cluster)\""))
            return nil
        }
        return MirrorPolicy(
            clusterIndex: clusterIndex, selector: m.selector, methods: m.methods.map(httpMethod),
            hostSuffix: Array(m.hostSuffix.utf8), maxBody: m.maxBody,
            maxInFlight: max(1, perWorker(m.maxInFlight, workers: workers)), timeoutNanos: nanos(m.timeout),
            compareBody: m.compare == .body)
    }

    static func httpMethod(_ method: MirrorMethod) -> HTTPMethod {
        switch method {
        case .get: .get
        case .head: .head
        case .post: .post
        case .put: .put
        case .delete: .delete
        case .options: .options
        case .trace: .trace
        case .patch: .patch
        }
    }
}
