// RetryPolicy+Decoding.swift — reads `routes[i].retry`.

import TracegateResilience

extension RetryPolicy {
    static let keys = [
        "max_attempts", "retry_on", "retriable_status_codes", "per_try_timeout", "timeout", "backoff",
        "retry_after_cap",
    ]
    static let backoffKeys = ["base", "max"]

    /// The keys whose values are durations, as `RetryPolicy` and `Backoff` name them in errors.
    private static let durationKeys: Set<String> = [
        "per_try_timeout", "timeout", "retry_after_cap", "backoff.base", "backoff.max",
    ]

    /// Reads `retry:`; absent keys take `RetryPolicy.default`'s values, except `per_try_timeout`,
    /// which stays nil (the data plane then uses the route's `timeout` for each try). nil when
    /// anything is wrong (reported).
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> RetryPolicy? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        let maxAttempts = mapping["max_attempts"]?.int(&diagnostics)
        let retryOn = mapping["retry_on"].flatMap { decodeRetryOn($0, &diagnostics) }
        let statuses = mapping["retriable_status_codes"].flatMap { decodeStatusCodes($0, &diagnostics) }
        let perTryTimeout = mapping["per_try_timeout"]?.nanoseconds(&diagnostics)
        let timeout = mapping["timeout"]?.nanoseconds(&diagnostics)
        let retryAfterCap = mapping["retry_after_cap"]?.nanoseconds(&diagnostics)
        let backoffTimes = mapping["backoff"].map { readBackoff($0, &diagnostics) }
        guard diagnostics.count == before else { return nil }
        let backoff = backoffTimes.flatMap { times in
            mapping.resilience(durations: durationKeys, &diagnostics) {
                (v: ResilienceValues) throws(ResilienceConfigError) in
                try makeBackoff(base: v.pick("backoff.base", times.base), max: v.pick("backoff.max", times.max))
            }
        }
        let defaults = RetryPolicy.default
        let policy = mapping.resilience(durations: durationKeys, &diagnostics) {
            (v: ResilienceValues) throws(ResilienceConfigError) in
            try RetryPolicy(
                maxAttempts: v.pick("max_attempts", maxAttempts, or: defaults.maxAttempts),
                retryOn: retryOn ?? defaults.retryOn,
                retriableStatusCodes: statuses ?? defaults.retriableStatusCodes,
                perTryTimeout: v.pick("per_try_timeout", perTryTimeout),
                timeout: v.pick("timeout", timeout),
                backoff: backoff ?? defaults.backoff,
                retryAfterCap: v.pick("retry_after_cap", retryAfterCap, or: defaults.retryAfterCap)
            )
        }
        guard diagnostics.count == before else { return nil }
        return policy
    }

    /// `retry_on`: a list of conditions, no duplicates; `[]` retries on `retriable_status_codes`
    /// only.
    private static func decodeRetryOn(_ field: Field, _ diagnostics: inout Diagnostics) -> RetryOn? {
        guard let items = field.sequence(&diagnostics) else { return nil }
        let before = diagnostics.count
        var seen: [RetryCondition] = []
        let names = RetryCondition.allCases.map(\.rawValue)
        for item in items {
            guard let text = item.string(&diagnostics) else { continue }
            guard let condition = RetryCondition(rawValue: text) else {
                // A status such as 500 or 429 belongs in the other list; say so rather than
                // suggest the nearest of 502/503/504.
                let hint =
                    UInt16(text).map(StatusCodeSet.validRange.contains) == true
                    ? " (other statuses go in retriable_status_codes)" : Suggestion.hint(for: text, among: names)
                item.report("expected one of \(names.joined(separator: ", ")); got \"\(text)\"\(hint)", &diagnostics)
                continue
            }
            if seen.contains(condition) {
                item.report("duplicate condition \"\(condition.rawValue)\"", &diagnostics)
                continue
            }
            seen.append(condition)
        }
        guard diagnostics.count == before else { return nil }
        return seen.reduce(into: RetryOn()) { $0.formUnion($1.retryOn) }
    }

    /// `retriable_status_codes`: integers `StatusCodeSet` accepts (100...599), each checked at
    /// its own index.
    private static func decodeStatusCodes(_ field: Field, _ diagnostics: inout Diagnostics) -> StatusCodeSet? {
        guard let items = field.sequence(&diagnostics) else { return nil }
        let before = diagnostics.count
        var set = StatusCodeSet()
        for item in items {
            guard let code = item.int(&diagnostics) else { continue }
            let range = StatusCodeSet.validRange
            // Out of UInt16's range is out of the set's range too; say so in the set's words.
            guard let narrow = UInt16(exactly: code) else {
                item.report("must be in \(range.lowerBound)...\(range.upperBound), got \(code)", &diagnostics)
                continue
            }
            do {
                _ = try StatusCodeSet([narrow])
                set.insert(narrow)
            } catch {
                item.report(error.reason, &diagnostics)
            }
        }
        return diagnostics.count == before ? set : nil
    }

    /// `backoff: {base, max}` as nanoseconds, each nil when absent; type errors are reported.
    private static func readBackoff(_ field: Field, _ diagnostics: inout Diagnostics) -> (base: UInt64?, max: UInt64?) {
        guard let mapping = field.mapping(keys: backoffKeys, &diagnostics) else { return (nil, nil) }
        return (mapping["base"]?.nanoseconds(&diagnostics), mapping["max"]?.nanoseconds(&diagnostics))
    }

    /// The backoff for the written `base` and `max`. Envoy's defaults: base 25ms; max 10 × base
    /// (at most an hour) when only base is written, and base no larger than max when only max is
    /// written, so a defaulted key never contradicts a written one.
    private static func makeBackoff(base: UInt64?, max: UInt64?) throws(ResilienceConfigError) -> Backoff {
        let defaults = Backoff.default
        let hour: UInt64 = 3_600_000_000_000
        let resolvedBase = base ?? Swift.min(defaults.base, max ?? defaults.max)
        let resolvedMax = max ?? base.map { $0 > hour / 10 ? hour : $0 * 10 } ?? defaults.max
        return try Backoff(base: resolvedBase, max: resolvedMax)
    }
}

/// One item of `routes[i].retry.retry_on`, spelt as Envoy's `retry_on` conditions.
enum RetryCondition: String, CaseIterable {
    case connectFailure = "connect-failure"
    case reset
    case perTryTimeout = "per-try-timeout"
    case gatewayError = "gateway-error"
    case status502 = "502"
    case status503 = "503"
    case status504 = "504"

    var retryOn: RetryOn {
        switch self {
        case .connectFailure: .connectFailure
        case .reset: .reset
        case .perTryTimeout: .perTryTimeout
        case .gatewayError: .gatewayError
        case .status502: .status502
        case .status503: .status503
        case .status504: .status504
        }
    }
}
