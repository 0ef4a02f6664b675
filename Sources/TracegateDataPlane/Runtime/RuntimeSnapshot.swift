// RuntimeSnapshot: the immutable, pre-resolved configuration a worker runs with.
import TracegateConfig
import TracegateContext
import TracegateHTTP

/// Everything a worker needs from the configuration, resolved and pre-digested on the control
/// side: addresses resolved, durations in nanoseconds, names as lowercase bytes for matching.
///
/// Why a separate type from the YAML model: validation and DNS happen once, on the control thread;
/// a worker only swaps one reference when an eventfd tells it a reload happened, and in-flight
/// exchanges keep indices into the snapshot they started with (`Worker` keeps the old one alive
/// until they finish).
public final class RuntimeSnapshot: Sendable {
    public struct Listener: Sendable {
        public var name: String
        public var address: SocketAddress
        public var trust: TrustPolicy
        /// The edge decision policy of this listener (trace restart or continue, traceresponse…).
        public var edgePolicy: EdgePolicy

        public init(name: String, address: SocketAddress, trust: TrustPolicy, edgePolicy: EdgePolicy) {
            self.name = name
            self.address = address
            self.trust = trust
            self.edgePolicy = edgePolicy
        }
    }

    public struct Route: Sendable {
        public var name: String
        public var host: HostMatch
        public var pathPrefix: [UInt8]
        public var clusterIndex: Int
        public var responseTimeoutNanos: UInt64
        /// This route's slot in every worker's `WorkerMetrics` (from `MetricSlots`; -1: not counted).
        public var metricSlot: Int

        public init(name: String, host: HostMatch, pathPrefix: [UInt8], clusterIndex: Int, responseTimeoutNanos: UInt64,
                    metricSlot: Int = -1) {
            self.name = name
            self.host = host
            self.pathPrefix = pathPrefix
            self.clusterIndex = clusterIndex
            self.responseTimeoutNanos = responseTimeoutNanos
            self.metricSlot = metricSlot
        }
    }

    public enum Balancing: Sendable { case roundRobin, leastRequest }

    public struct Cluster: Sendable {
        public var name: String
        public var endpoints: [SocketAddress]
        public var balancing: Balancing
        public var connectTimeoutNanos: UInt64
        public var maxConnectionsPerEndpoint: Int
        public var maxIdlePerEndpoint: Int
        public var idleTimeoutNanos: UInt64
        /// This cluster's slot in every worker's `WorkerMetrics` (from `MetricSlots`; -1: not counted).
        public var metricSlot: Int
        /// The metric slot of each endpoint, parallel to `endpoints` (empty: not counted).
        public var endpointSlots: [Int]

        public init(name: String, endpoints: [SocketAddress], balancing: Balancing, connectTimeoutNanos: UInt64,
                    maxConnectionsPerEndpoint: Int, maxIdlePerEndpoint: Int, idleTimeoutNanos: UInt64,
                    metricSlot: Int = -1, endpointSlots: [Int] = []) {
            self.name = name
            self.endpoints = endpoints
            self.balancing = balancing
            self.connectTimeoutNanos = connectTimeoutNanos
            self.maxConnectionsPerEndpoint = maxConnectionsPerEndpoint
            self.maxIdlePerEndpoint = maxIdlePerEndpoint
            self.idleTimeoutNanos = idleTimeoutNanos
            self.metricSlot = metricSlot
            self.endpointSlots = endpointSlots
        }

        /// The metric slot of endpoint `i`, or -1.
        public func endpointSlot(_ i: Int) -> Int { i < endpointSlots.count ? endpointSlots[i] : -1 }
    }

    public struct Timeouts: Sendable {
        public var headerReadNanos: UInt64
        public var keepAliveIdleNanos: UInt64
        public var tunnelIdleNanos: UInt64
        public var drainNanos: UInt64

        public init(headerReadNanos: UInt64, keepAliveIdleNanos: UInt64, tunnelIdleNanos: UInt64, drainNanos: UInt64) {
            self.headerReadNanos = headerReadNanos
            self.keepAliveIdleNanos = keepAliveIdleNanos
            self.tunnelIdleNanos = tunnelIdleNanos
            self.drainNanos = drainNanos
        }
    }

    public let version: Int
    public let configHash: String
    public let listeners: [Listener]
    public let routes: [Route]
    public let clusters: [Cluster]
    public let headLimits: HeadLimits
    /// 0 = unlimited.
    public let maxRequestBodyBytes: UInt64
    /// Downstream connections per worker (the process limit divided by the worker count).
    public let maxConnectionsPerWorker: Int
    public let timeouts: Timeouts
    public let edge: EdgeSettings
    public let accessLog: Bool

    public init(
        version: Int, configHash: String, listeners: [Listener], routes: [Route], clusters: [Cluster],
        headLimits: HeadLimits, maxRequestBodyBytes: UInt64, maxConnectionsPerWorker: Int,
        timeouts: Timeouts, edge: EdgeSettings, accessLog: Bool
    ) {
        self.version = version
        self.configHash = configHash
        self.listeners = listeners
        self.routes = routes
        self.clusters = clusters
        self.headLimits = headLimits
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxConnectionsPerWorker = maxConnectionsPerWorker
        self.timeouts = timeouts
        self.edge = edge
        self.accessLog = accessLog
    }
}
