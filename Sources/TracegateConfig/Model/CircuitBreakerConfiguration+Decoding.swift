// CircuitBreakerConfiguration+Decoding.swift — reads `clusters[i].circuit_breakers.failure_rate`.

import TracegateResilience

extension CircuitBreaker.Configuration {
    static let keys = [
        "window_size", "minimum_calls", "failure_rate_threshold", "slow_call_rate_threshold", "slow_call_duration",
        "open_duration", "probe_requests",
    ]

    /// Reads `failure_rate:`; absent keys take `CircuitBreaker.Configuration.default`'s values
    /// (resilience4j's), except that an absent `minimum_calls` is at most `window_size` (as
    /// resilience4j uses the window size when the minimum is larger), so a small window alone is
    /// valid. nil when anything is wrong (reported).
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> CircuitBreaker.Configuration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        let windowSize = mapping["window_size"]?.int(&diagnostics)
        let minimumCalls = mapping["minimum_calls"]?.int(&diagnostics)
        let failureRate = mapping["failure_rate_threshold"]?.number(&diagnostics)
        let slowCallRate = mapping["slow_call_rate_threshold"]?.number(&diagnostics)
        let slowCallDuration = mapping["slow_call_duration"]?.nanoseconds(&diagnostics)
        let openDuration = mapping["open_duration"]?.nanoseconds(&diagnostics)
        let probeRequests = mapping["probe_requests"]?.int(&diagnostics)
        guard diagnostics.count == before else { return nil }
        let defaults = CircuitBreaker.Configuration.default
        let durations: Set<String> = ["slow_call_duration", "open_duration"]
        return mapping.resilience(durations: durations, &diagnostics) {
            (v: ResilienceValues) throws(ResilienceConfigError) in
            let window = v.pick("window_size", windowSize, or: defaults.windowSize)
            let defaultMinimum = Swift.max(1, Swift.min(defaults.minimumCalls, window))
            return try CircuitBreaker.Configuration(
                windowSize: window,
                minimumCalls: v.pick("minimum_calls", minimumCalls, or: defaultMinimum),
                failureRateThreshold: v.pick("failure_rate_threshold", failureRate, or: defaults.failureRateThreshold),
                slowCallRateThreshold: v.pick(
                    "slow_call_rate_threshold",
                    slowCallRate,
                    or: defaults.slowCallRateThreshold
                ),
                slowCallDuration: v.pick("slow_call_duration", slowCallDuration, or: defaults.slowCallDuration),
                openDuration: v.pick("open_duration", openDuration, or: defaults.openDuration),
                probeRequests: v.pick("probe_requests", probeRequests, or: defaults.probeRequests)
            )
        }
    }
}
