// RetryBudgetConfiguration+Decoding.swift — reads `clusters[i].retry_budget`.

import TracegateResilience

extension RetryBudget.Configuration {
    static let keys = ["retry_ratio", "min_retries_per_second", "ttl"]

    /// Reads `retry_budget:`; absent keys take `RetryBudget.Configuration.default`'s values (20%
    /// of requests plus 10 retries per second over 10s). nil when anything is wrong (reported).
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> RetryBudget.Configuration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        let ratio = mapping["retry_ratio"]?.number(&diagnostics)
        let floor = mapping["min_retries_per_second"]?.int(&diagnostics)
        let ttl = mapping["ttl"]?.nanoseconds(&diagnostics)
        guard diagnostics.count == before else { return nil }
        let defaults = RetryBudget.Configuration.default
        return mapping.resilience(durations: ["ttl"], &diagnostics) {
            (v: ResilienceValues) throws(ResilienceConfigError) in
            try RetryBudget.Configuration(
                ttl: v.pick("ttl", ttl, or: defaults.ttl),
                minRetriesPerSecond: v.pick("min_retries_per_second", floor, or: defaults.minRetriesPerSecond),
                retryRatio: v.pick("retry_ratio", ratio, or: defaults.retryRatio)
            )
        }
    }
}
