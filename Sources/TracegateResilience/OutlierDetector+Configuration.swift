// OutlierDetector+Configuration.swift — outlier detection's settings, with Envoy's defaults.

extension OutlierDetector {
    /// A cluster's outlier-detection settings. Names and defaults follow Envoy's
    /// `OutlierDetection` (`consecutive_5xx` 5, `consecutive_gateway_failure` 5,
    /// `base_ejection_time` 30 s, `max_ejection_time` 300 s, `max_ejection_percent` 10,
    /// `interval` 10 s, `always_eject_one_host` false).
    public struct Configuration: Hashable, Sendable {
        /// 5xx responses or local failures in a row that eject (0 disables; 0 ... 10 000).
        public let consecutive5xx: Int
        /// 502/503/504 responses or local failures in a row that eject (0 disables; 0 ... 10 000).
        public let consecutiveGatewayFailures: Int
        /// Ejection time per recent ejection, in nanoseconds (1 ms ... 1 h).
        public let baseEjectionTime: UInt64
        /// The longest ejection, in nanoseconds (`baseEjectionTime` ... 24 h).
        public let maxEjectionTime: UInt64
        /// The largest share of the cluster's endpoints ejected at once, in percent (0 ... 100).
        public let maxEjectionPercent: Int
        /// Allow one ejection even when `maxEjectionPercent` of the cluster is less than one
        /// endpoint (Envoy's `always_eject_one_host`) — still never the last available endpoint.
        public let alwaysEjectOne: Bool
        /// Each period of this length an endpoint stays healthy after returning takes one off its
        /// ejection multiplier, in nanoseconds (Envoy's `interval`; 1 ms ... 1 h).
        public let decayInterval: UInt64

        /// Envoy's defaults.
        public static let `default` = Configuration(
            unchecked: 5,
            5,
            30 * nanosPerSecond,
            300 * nanosPerSecond,
            10,
            false,
            10 * nanosPerSecond
        )

        /// Creates the settings after checking them.
        ///
        /// - Throws: ``ResilienceConfigError`` naming the offending key.
        public init(
            consecutive5xx: Int = 5,
            consecutiveGatewayFailures: Int = 5,
            baseEjectionTime: UInt64 = 30_000_000_000,
            maxEjectionTime: UInt64 = 300_000_000_000,
            maxEjectionPercent: Int = 10,
            alwaysEjectOne: Bool = false,
            decayInterval: UInt64 = 10_000_000_000
        ) throws(ResilienceConfigError) {
            let hour = 3_600 * nanosPerSecond
            try ResilienceConfigError.check(consecutive5xx, in: 0...10_000, key: "consecutive_5xx")
            try ResilienceConfigError.check(
                consecutiveGatewayFailures,
                in: 0...10_000,
                key: "consecutive_gateway_failures"
            )
            try ResilienceConfigError.check(baseEjectionTime, in: 1_000_000...hour, key: "base_ejection_time")
            // Envoy rejects a max below the base ("max_ejection_time cannot be smaller than
            // base_ejection_time").
            try ResilienceConfigError.check(
                maxEjectionTime,
                in: baseEjectionTime...24 * hour,
                key: "max_ejection_time"
            )
            try ResilienceConfigError.check(maxEjectionPercent, in: 0...100, key: "max_ejection_percent")
            try ResilienceConfigError.check(decayInterval, in: 1_000_000...hour, key: "decay_interval")
            self.init(
                unchecked: consecutive5xx,
                consecutiveGatewayFailures,
                baseEjectionTime,
                maxEjectionTime,
                maxEjectionPercent,
                alwaysEjectOne,
                decayInterval
            )
        }

        private init(
            unchecked consecutive5xx: Int,
            _ consecutiveGatewayFailures: Int,
            _ baseEjectionTime: UInt64,
            _ maxEjectionTime: UInt64,
            _ maxEjectionPercent: Int,
            _ alwaysEjectOne: Bool,
            _ decayInterval: UInt64
        ) {
            self.consecutive5xx = consecutive5xx
            self.consecutiveGatewayFailures = consecutiveGatewayFailures
            self.baseEjectionTime = baseEjectionTime
            self.maxEjectionTime = maxEjectionTime
            self.maxEjectionPercent = maxEjectionPercent
            self.alwaysEjectOne = alwaysEjectOne
            self.decayInterval = decayInterval
        }
    }
}
