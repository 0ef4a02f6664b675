// ConcurrencyLimit+Configuration.swift — the four caps and their defaults.

extension ConcurrencyLimit {
    /// A cluster's four caps, with Envoy's defaults (1024, 1024, 1024, 3).
    public struct Configuration: Hashable, Sendable {
        /// Open upstream connections.
        public let maxConnections: Int
        /// Requests waiting for a connection.
        public let maxPendingRequests: Int
        /// Requests in flight.
        public let maxRequests: Int
        /// Retries in flight. Envoy's default of 3 is deliberately small: retries are extra load,
        /// and the ``RetryBudget`` bounds their rate while this bounds their concurrency.
        public let maxRetries: Int

        /// Envoy's defaults.
        public static let `default` = Configuration(unchecked: 1_024, 1_024, 1_024, 3)

        /// Creates the caps after checking each is in `0...1_000_000` (0 refuses everything).
        ///
        /// - Throws: ``ResilienceConfigError`` naming the offending key.
        public init(
            maxConnections: Int = 1_024,
            maxPendingRequests: Int = 1_024,
            maxRequests: Int = 1_024,
            maxRetries: Int = 3
        ) throws(ResilienceConfigError) {
            let range = 0...1_000_000
            try ResilienceConfigError.check(maxConnections, in: range, key: "max_connections")
            try ResilienceConfigError.check(maxPendingRequests, in: range, key: "max_pending_requests")
            try ResilienceConfigError.check(maxRequests, in: range, key: "max_requests")
            try ResilienceConfigError.check(maxRetries, in: range, key: "max_retries")
            self.init(unchecked: maxConnections, maxPendingRequests, maxRequests, maxRetries)
        }

        private init(unchecked connections: Int, _ pending: Int, _ requests: Int, _ retries: Int) {
            maxConnections = connections
            maxPendingRequests = pending
            maxRequests = requests
            maxRetries = retries
        }

        /// The cap for `resource`.
        public func limit(for resource: ConcurrencyResource) -> Int {
            switch resource {
            case .connections: maxConnections
            case .pendingRequests: maxPendingRequests
            case .requests: maxRequests
            case .retries: maxRetries
            }
        }
    }
}
