// Backoff.swift — exponential backoff with full jitter.

/// Exponential backoff with "full jitter": the delay before retry `n` (0 for the first retry) is
/// drawn uniformly from `[0, min(max, base · 2^n)]`.
///
/// Why full jitter: AWS's analysis ("Exponential Backoff And Jitter", Marc Brooker, 2015) shows
/// it spreads the retries of many clients that failed together (the usual case behind a proxy:
/// one upstream blip fails every in-flight request at once) better than equal or decorrelated
/// jitter, for the least total work. Envoy's router draws from `[0, (2^n − 1) · base]` in the same
/// spirit; the defaults here are Envoy's (`base_interval` 25 ms, `max_interval` 10 × base).
///
/// Randomness is injected (`inout some RandomNumberGenerator`): the worker passes its
/// `FastRandom`, tests a seeded generator. Nothing allocates; the draw is the standard library's
/// unbiased bounded `random(in:using:)`.
public struct Backoff: Hashable, Sendable {
    /// The delay bound of the first retry, in nanoseconds.
    public let base: UInt64
    /// The largest delay bound, in nanoseconds; every delay is at most this.
    public let max: UInt64

    /// Envoy's defaults: base 25 ms, max 250 ms.
    public static let `default` = Backoff(uncheckedBase: 25_000_000, max: 250_000_000)

    /// Creates a backoff; `base` must be at least 1 ns and at most `max`, and `max` at most an hour.
    ///
    /// - Throws: ``ResilienceConfigError`` naming `backoff.base` or `backoff.max`.
    public init(base: UInt64, max: UInt64) throws(ResilienceConfigError) {
        try ResilienceConfigError.check(max, in: 1...3_600 * nanosPerSecond, key: "backoff.max")
        try ResilienceConfigError.check(base, in: 1...max, key: "backoff.base")
        self.init(uncheckedBase: base, max: max)
    }

    init(uncheckedBase base: UInt64, max: UInt64) {
        self.base = base
        self.max = max
    }

    /// The upper bound of the delay before retry `retry` (0-based): `min(max, base · 2^retry)`,
    /// computed without overflow.
    public func ceiling(forRetry retry: Int) -> UInt64 {
        guard retry > 0 else { return Swift.min(base, max) }
        guard retry < 64, base <= (max >> UInt64(retry)) else { return max }
        return base << UInt64(retry)
    }

    /// The delay before retry `retry` (0-based), uniform in `[0, ceiling(forRetry:)]`.
    ///
    /// - Parameters:
    ///   - retry: 0 for the first retry (the second attempt), 1 for the next, ….
    ///   - random: the worker's generator.
    /// - Returns: nanoseconds to wait.
    public func delay(forRetry retry: Int, using random: inout some RandomNumberGenerator) -> UInt64 {
        UInt64.random(in: 0...ceiling(forRetry: retry), using: &random)
    }
}

/// One second in nanoseconds.
let nanosPerSecond: UInt64 = 1_000_000_000
