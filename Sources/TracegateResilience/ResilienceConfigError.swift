// ResilienceConfigError.swift — a resilience setting that cannot be used, with the key that caused it.

/// A resilience setting that cannot be used, named by its YAML key relative to its block.
///
/// Why the key and not a Swift property name: `TracegateConfig` prefixes the key with the block's
/// path (`clusters[1].circuit_breaker.` + `failure_rate_threshold`) and reports it like every other
/// configuration problem, so the operator sees one spelling (DESIGN.md principle 5: fail loud at
/// start-up, never mid-flight). Every `Configuration` initialiser in this module validates its
/// values and throws this error, so a running worker never holds a setting it cannot honour.
public struct ResilienceConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key within its block, in YAML spelling, e.g. `max_attempts`.
    public var key: String
    /// What is wrong, e.g. `must be at least 1, got 0`.
    public var reason: String

    /// Creates an error for `key` with a human-readable `reason`.
    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    /// `key: reason`.
    public var description: String { "\(key): \(reason)" }
}

extension ResilienceConfigError {
    /// Checks `value` lies in `range`; the message names both.
    static func check<T: Comparable>(
        _ value: T,
        in range: ClosedRange<T>,
        key: String
    ) throws(ResilienceConfigError) {
        guard range.contains(value) else {
            throw ResilienceConfigError(
                key: key,
                reason: "must be in \(range.lowerBound)...\(range.upperBound), got \(value)"
            )
        }
    }

    /// Checks a finite `value` lies in `range` (NaN and infinities are rejected).
    static func checkFinite(
        _ value: Double,
        in range: ClosedRange<Double>,
        key: String
    ) throws(ResilienceConfigError) {
        guard value.isFinite else {
            throw ResilienceConfigError(key: key, reason: "must be a finite number, got \(value)")
        }
        try check(value, in: range, key: key)
    }
}
