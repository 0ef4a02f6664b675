// CircuitBreakersConfiguration+Decoding.swift — reads `clusters[i].circuit_breakers`.

import TracegateResilience

extension CircuitBreakersConfiguration {
    static let keys = ["max_connections", "max_pending_requests", "max_requests", "max_retries", "failure_rate"]

    /// Reads `circuit_breakers:`; absent thresholds take `ConcurrencyLimit.Configuration.default`'s
    /// values, and an absent `failure_rate` means no such breaker. nil when anything is wrong
    /// (reported).
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> CircuitBreakersConfiguration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        let connections = mapping["max_connections"]?.int(&diagnostics)
        let pending = mapping["max_pending_requests"]?.int(&diagnostics)
        let requests = mapping["max_requests"]?.int(&diagnostics)
        let retries = mapping["max_retries"]?.int(&diagnostics)
        let defaults = ConcurrencyLimit.Configuration.default
        // Range checks only once every threshold was read as an integer.
        var limits: ConcurrencyLimit.Configuration?
        if diagnostics.count == before {
            limits = mapping.resilience(&diagnostics) { (v: ResilienceValues) throws(ResilienceConfigError) in
                try ConcurrencyLimit.Configuration(
                    maxConnections: v.pick("max_connections", connections, or: defaults.maxConnections),
                    maxPendingRequests: v.pick("max_pending_requests", pending, or: defaults.maxPendingRequests),
                    maxRequests: v.pick("max_requests", requests, or: defaults.maxRequests),
                    maxRetries: v.pick("max_retries", retries, or: defaults.maxRetries)
                )
            }
        }
        let failureRate = mapping["failure_rate"].flatMap { CircuitBreaker.Configuration.decode($0, &diagnostics) }
        guard diagnostics.count == before, let limits else { return nil }
        return CircuitBreakersConfiguration(limits: limits, failureRate: failureRate)
    }
}
