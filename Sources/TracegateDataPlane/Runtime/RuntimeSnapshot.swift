// RuntimeSnapshot: the immutable, pre-resolved configuration a worker runs with.
import TracegateConfig
import TracegateContext
import TracegateH2
import TracegateHTTP
import TracegateResilience
import TracegateTLS

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
        /// HTTP/2 is served: by ALPN on TLS, by the prior-knowledge preface on cleartext.
        public var http2: Bool
        /// The listener's TLS context (certificates, ALPN); nil for cleartext. A reload builds a
        /// new one; connections already accepted keep theirs.
        public var tls: TLSServerContext?

        public init(name: String, address: SocketAddress, trust: TrustPolicy, edgePolicy: EdgePolicy, http2: Bool = true,
                    tls: TLSServerContext? = nil) {
            self.name = name
            self.address = address
            self.trust = trust
            self.edgePolicy = edgePolicy
            self.http2 = http2
            self.tls = tls
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
        /// When and how often a failed attempt is tried again. `responseTimeoutNanos` is the
        /// per-try limit unless the policy sets `perTryTimeout`.
        public var retry: RetryPolicy = .connectFailureOnly
        /// Shadow traffic for this route; nil when it mirrors nothing.
        public var mirror: MirrorPolicy? = nil
        /// Faults injected on purpose (`fault`); nil when the route has none. Header faults from
        /// authorised callers apply whether or not it is set.
        public var fault: FaultInjection? = nil

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

    /// How a cluster's connections speak: HTTP/1.1 (over TLS when `tls` is set), HTTP/2 with
    /// prior knowledge, HTTP/2 over TLS, or whichever of the two ALPN picks.
    public enum UpstreamProtocol: Sendable { case http1, h2c, h2, auto }

    /// The HTTP/2 session settings and flood limits every client connection gets.
    public struct HTTP2: Sendable {
        public var settings: H2Settings
        public var limits: H2FloodLimits

        public init(settings: H2Settings = H2Settings(), limits: H2FloodLimits = H2FloodLimits()) {
            self.settings = settings
            self.limits = limits
        }
    }

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
        public var upstreamProtocol: UpstreamProtocol = .http1
        /// The client TLS context (CA, client certificate, ALPN) for TLS protocols; nil = cleartext.
        public var tls: TLSClientContext? = nil
        /// SNI and the name verified in the upstream's certificate (nil: none sent; IP endpoints are
        /// verified against their IP SAN).
        public var serverName: String? = nil
        /// Most streams Tracegate opens on one HTTP/2 upstream connection (lowered by the peer's
        /// SETTINGS_MAX_CONCURRENT_STREAMS).
        public var maxStreamsPerConnection: Int = 100
        /// Retry budget, concurrency thresholds, breaker and outlier ejection (per worker).
        public var resilience = ClusterResilience()

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
    public let http2: HTTP2

    public init(
        version: Int, configHash: String, listeners: [Listener], routes: [Route], clusters: [Cluster],
        headLimits: HeadLimits, maxRequestBodyBytes: UInt64, maxConnectionsPerWorker: Int,
        timeouts: Timeouts, edge: EdgeSettings, accessLog: Bool, http2: HTTP2 = HTTP2()
    ) {
        self.http2 = http2
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
