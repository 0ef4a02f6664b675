// MappingReader+Resilience.swift — builds TracegateResilience settings and reports their errors
// with the full key path.

import TracegateResilience
import Yams

/// Why the resilience blocks (`retry`, `retry_budget`, `circuit_breakers`, `outlier_detection`)
/// are not range-checked here: every `Configuration` initialiser of `TracegateResilience` checks
/// its own values and throws a `ResilienceConfigError` naming the YAML key, so the limits live in
/// one place and the config reader only reads types (integer, number, duration) and defaults.
/// This file turns such an error into a diagnostic at `<block path>.<key>`, located at the key's
/// line when it was written.
extension MappingReader {
    /// Runs `make` until it succeeds, reporting each `ResilienceConfigError` it throws at this
    /// mapping's path plus the error's key (`routes[0].retry` + `backoff.base`); nil when any was
    /// reported.
    ///
    /// Why more than once: an initialiser throws at its first bad value, but the operator should
    /// see every bad value of a block in one run (DESIGN.md principle 5). After each error the
    /// rejected key is added to `ResilienceValues.rejected`, so the next run takes that key's
    /// default (see ``ResilienceValues/pick(_:_:or:)``) and reaches the next bad value. A key
    /// rejected twice (its default is refused too, e.g. because of another key) ends the loop.
    ///
    /// - Parameter durations: the keys (relative to this mapping, as the error names them) whose
    ///   values are nanoseconds: their bounds are rewritten in duration syntax (`1ms...1h, got 2h`)
    ///   instead of raw nanoseconds.
    func resilience<T>(
        durations: Set<String> = [],
        _ diagnostics: inout Diagnostics,
        _ make: (ResilienceValues) throws(ResilienceConfigError) -> T
    ) -> T? {
        var values = ResilienceValues()
        while true {
            do {
                let value = try make(values)
                return values.rejected.isEmpty ? value : nil
            } catch {
                let reason = durations.contains(error.key) ? ResilienceReason.durations(error.reason) : error.reason
                let (path, mark) = location(ofDotted: error.key)
                diagnostics.report(path, reason, at: mark)
                guard values.rejected.insert(error.key).inserted else { return nil }
            }
        }
    }

    /// The path of `key` (which may be dotted, `backoff.base`) inside this mapping, and the
    /// position of its value when written, else of the mapping (a defaulted value).
    func location(ofDotted key: String) -> (path: ConfigPath, mark: Mark?) {
        let parts = key.split(separator: ".").map(String.init)
        var current = parts.first.flatMap { self[$0] }
        for part in parts.dropFirst() { current = current?.child(part) }
        return (field.path.key(key), current?.mark ?? field.mark)
    }
}

extension Field {
    /// A duration in nanoseconds, zero allowed, up to the parser's own ceiling: the resilience
    /// initialiser that receives it applies the key's real limits.
    func nanoseconds(_ diagnostics: inout Diagnostics) -> UInt64? {
        let ceiling = Duration.nanoseconds(DurationText.maximumNanoseconds)
        guard let value = duration(max: ceiling, allowZero: true, &diagnostics) else { return nil }
        return UInt64(DurationText.nanoseconds(value))
    }

    /// Any finite number; the resilience initialiser that receives it applies the key's limits.
    func number(_ diagnostics: inout Diagnostics) -> Double? {
        number(in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, &diagnostics)
    }
}

/// The written values of a resilience block as one run of ``MappingReader/resilience(durations:_:_:)``
/// passes them to an initialiser: a key already rejected gives its default instead.
struct ResilienceValues {
    /// The keys (as the resilience module names them) already reported.
    var rejected: Set<String> = []

    /// `written` for `key`, or `fallback` when the key is absent or was rejected.
    func pick<T>(_ key: String, _ written: T?, or fallback: T) -> T {
        rejected.contains(key) ? fallback : written ?? fallback
    }

    /// An optional setting whose default is "none": `written`, or nil when it was rejected.
    func pick<T>(_ key: String, _ written: T?) -> T? {
        rejected.contains(key) ? nil : written
    }
}

/// Rewrites the reasons `TracegateResilience` gives for durations.
enum ResilienceReason {
    /// `must be in 1000000...3600000000000, got 7200000000000` (nanoseconds, as the resilience
    /// module checks them) becomes `must be in 1ms...1h, got 2h`, the syntax the key is written
    /// in. Any other reason is returned unchanged.
    static func durations(_ reason: String) -> String {
        let prefix = "must be in "
        guard reason.hasPrefix(prefix), let got = reason.range(of: ", got ") else { return reason }
        let bounds = reason[reason.index(reason.startIndex, offsetBy: prefix.count)..<got.lowerBound]
        guard let dots = bounds.range(of: "..."),
            let lower = format(bounds[..<dots.lowerBound]),
            let upper = format(bounds[dots.upperBound...]),
            let value = format(reason[got.upperBound...])
        else { return reason }
        return "\(prefix)\(lower)...\(upper), got \(value)"
    }

    /// Nanoseconds as a duration (`250ms`), or nil when the text is not a nanosecond count.
    private static func format(_ text: Substring) -> String? {
        guard let nanos = Int64(text), nanos >= 0 else { return nil }
        return DurationText.format(.nanoseconds(nanos))
    }
}
