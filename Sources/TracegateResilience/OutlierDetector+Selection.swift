// OutlierDetector+Selection.swift — skipping ejected endpoints during load balancing, allocation-free.

extension OutlierDetector {
    /// The first endpoint at or after `start` (wrapping) that is in selection at `now`, after
    /// returning any endpoint whose ejection has ended.
    ///
    /// Round robin passes its cursor and advances past the answer. A random choice (power of two
    /// choices) passes a random start: an endpoint right after an ejected one is then slightly
    /// more likely, which is harmless for the few ejections the percentage cap allows.
    ///
    /// - Returns: an endpoint index, or `nil` only for a cluster without endpoints (the detector
    ///   never ejects the last one).
    public mutating func nextAvailable(from start: Int, now: UInt64) -> Int? {
        tick(now: now)
        return ejected.firstClear(from: start)
    }

    /// `true` when `endpoint` is in selection as of the last call that took `now` (a pure read for
    /// loops that already ticked).
    public func isAvailable(_ endpoint: Int) -> Bool {
        endpoint >= 0 && endpoint < endpointCount && !ejected.contains(endpoint)
    }

    /// Endpoints in selection as of the last call that took `now`.
    public var availableCount: Int { endpointCount - ejectedCount }
}
