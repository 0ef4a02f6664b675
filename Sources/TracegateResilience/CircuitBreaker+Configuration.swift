// CircuitBreaker+Configuration.swift — the failure-rate breaker's settings and their limits.

extension CircuitBreaker {
    /// A breaker's settings. Names and defaults are resilience4j's `CircuitBreakerConfig`
    /// (count-based window), with rates as fractions rather than percentages.
    public struct Configuration: Hashable, Sendable {
        /// Calls the sliding window holds (`slidingWindowSize`, 1 ... 10 000; default 100).
        public let windowSize: Int
        /// Calls the window must hold before rates are evaluated (`minimumNumberOfCalls`,
        /// 1 ... `windowSize`; default 100), so a handful of early failures cannot open it.
        public let minimumCalls: Int
        /// Failure rate that opens the breaker (`failureRateThreshold`, (0, 1]; default 0.5).
        public let failureRateThreshold: Double
        /// Slow-call rate that opens the breaker (`slowCallRateThreshold`, (0, 1]; default 1).
        public let slowCallRateThreshold: Double
        /// A call at least this long is slow, in nanoseconds (`slowCallDurationThreshold`,
        /// 1 ms ... 1 h; default 60 s).
        public let slowCallDuration: UInt64
        /// How long an open breaker rejects before probing, in nanoseconds
        /// (`waitDurationInOpenState`, 1 ms ... 1 h; default 60 s).
        public let openDuration: UInt64
        /// Probes admitted at once when half-open (`permittedNumberOfCallsInHalfOpenState`,
        /// 1 ... 1000; default 10).
        public let probeRequests: Int

        /// `failureRateThreshold` in parts per million, for integer comparison.
        let failureRatePPM: Int
        /// `slowCallRateThreshold` in parts per million.
        let slowCallRatePPM: Int

        /// resilience4j's defaults.
        public static let `default` = Configuration(
            unchecked: 100,
            100,
            0.5,
            1,
            60 * nanosPerSecond,
            60 * nanosPerSecond,
            10
        )

        /// Creates the settings after checking them.
        ///
        /// - Throws: ``ResilienceConfigError`` naming the offending key.
        public init(
            windowSize: Int = 100,
            minimumCalls: Int = 100,
            failureRateThreshold: Double = 0.5,
            slowCallRateThreshold: Double = 1,
            slowCallDuration: UInt64 = 60_000_000_000,
            openDuration: UInt64 = 60_000_000_000,
            probeRequests: Int = 10
        ) throws(ResilienceConfigError) {
            let hour = 3_600 * nanosPerSecond
            try ResilienceConfigError.check(windowSize, in: 1...10_000, key: "window_size")
            try ResilienceConfigError.check(minimumCalls, in: 1...windowSize, key: "minimum_calls")
            try Self.checkRate(failureRateThreshold, key: "failure_rate_threshold")
            try Self.checkRate(slowCallRateThreshold, key: "slow_call_rate_threshold")
            try ResilienceConfigError.check(slowCallDuration, in: 1_000_000...hour, key: "slow_call_duration")
            try ResilienceConfigError.check(openDuration, in: 1_000_000...hour, key: "open_duration")
            try ResilienceConfigError.check(probeRequests, in: 1...1_000, key: "probe_requests")
            self.init(
                unchecked: windowSize,
                minimumCalls,
                failureRateThreshold,
                slowCallRateThreshold,
                slowCallDuration,
                openDuration,
                probeRequests
            )
        }

        private init(
            unchecked windowSize: Int,
            _ minimumCalls: Int,
            _ failureRate: Double,
            _ slowCallRate: Double,
            _ slowCallDuration: UInt64,
            _ openDuration: UInt64,
            _ probeRequests: Int
        ) {
            self.windowSize = windowSize
            self.minimumCalls = minimumCalls
            self.failureRateThreshold = failureRate
            self.slowCallRateThreshold = slowCallRate
            self.slowCallDuration = slowCallDuration
            self.openDuration = openDuration
            self.probeRequests = probeRequests
            self.failureRatePPM = Int(roundingHalfUp: failureRate * 1_000_000)
            self.slowCallRatePPM = Int(roundingHalfUp: slowCallRate * 1_000_000)
        }

        /// A rate must be in (0, 1]: 0 would open on the first success.
        private static func checkRate(_ rate: Double, key: String) throws(ResilienceConfigError) {
            try ResilienceConfigError.checkFinite(rate, in: 0...1, key: key)
            guard rate > 0 else {
                throw ResilienceConfigError(key: key, reason: "must be greater than 0, got \(rate)")
            }
        }
    }
}
