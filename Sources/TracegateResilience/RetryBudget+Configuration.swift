// RetryBudget+Configuration.swift — the retry budget's settings and their limits.

extension RetryBudget {
    /// A retry budget's settings. The defaults and limits are Finagle's (and tower's, which
    /// copied them): 20% of requests plus 10 retries per second, over a 10 s window.
    public struct Configuration: Hashable, Sendable {
        /// How long a request's deposit counts, in nanoseconds (1 s ... 60 s).
        public let ttl: UInt64
        /// Retries always allowed per second of `ttl`, however few requests came (0 ... 10⁶).
        public let minRetriesPerSecond: Int
        /// Retries allowed per request (0 ... 1000; 0.2 = one retry per five requests).
        public let retryRatio: Double

        /// Finagle's defaults: ttl 10 s, 10 retries per second, ratio 0.2.
        public static let `default` = Configuration(unchecked: 10 * nanosPerSecond, 10, 0.2)

        /// Creates the settings after checking them.
        ///
        /// - Throws: ``ResilienceConfigError`` naming `ttl`, `min_retries_per_second` or
        ///   `retry_ratio`.
        public init(
            ttl: UInt64 = 10_000_000_000,
            minRetriesPerSecond: Int = 10,
            retryRatio: Double = 0.2
        ) throws(ResilienceConfigError) {
            try ResilienceConfigError.check(ttl, in: nanosPerSecond...60 * nanosPerSecond, key: "ttl")
            try ResilienceConfigError.check(minRetriesPerSecond, in: 0...1_000_000, key: "min_retries_per_second")
            try ResilienceConfigError.checkFinite(retryRatio, in: 0...1_000, key: "retry_ratio")
            self.init(unchecked: ttl, minRetriesPerSecond, retryRatio)
        }

        private init(unchecked ttl: UInt64, _ minRetriesPerSecond: Int, _ retryRatio: Double) {
            self.ttl = ttl
            self.minRetriesPerSecond = minRetriesPerSecond
            self.retryRatio = retryRatio
        }
    }
}
