// ClusterConfiguration.swift — an upstream cluster: endpoints, protocol, balancing, connection pool,
// retry budget, circuit breakers and outlier detection.

import TracegateResilience

/// `clusters[i].balancing` — how a worker picks an endpoint for each attempt.
public enum Balancing: String, Sendable, Equatable, CaseIterable {
    /// Each endpoint in turn. Default.
    case roundRobin = "round_robin"
    /// The endpoint with the fewest requests in flight on this worker (ties: round robin).
    case leastRequest = "least_request"
}

/// `clusters[i]` — a named group of upstream endpoints that routes send traffic to.
public struct ClusterConfiguration: Sendable, Equatable {
    /// `name` (required). Unique among clusters; routes refer to it.
    public var name: String
    /// `endpoints` (required, at least one). `host:port` with IPv4 literals, `[IPv6]` literals or
    /// hostnames (resolved by the caller), port 1-65535. No duplicates.
    public var endpoints: [SocketAddressSpec]
    /// `balancing`: `round_robin` (default) or `least_request`.
    public var balancing: Balancing
    /// `connect_timeout`. Default `1s`. 1ns...24h.
    public var connectTimeout: Duration
    /// `pool`. Keep-alive connections, per endpoint per worker.
    public var pool: PoolConfiguration
    /// `protocol`: `http1` (default), `h2c`, `h2` or `auto`.
    public var `protocol`: UpstreamProtocol
    /// `tls`. Default none for `http1` (cleartext), the defaults for `h2` and `auto` (implied:
    /// never nil for them once loaded); refused for `h2c`.
    public var tls: UpstreamTLSConfiguration?
    /// `http2`. HTTP/2 connection settings; refused for `protocol: http1`.
    public var http2: UpstreamHTTP2Configuration
    /// `retry_budget`. How many retries the cluster's routes may add, over the requests they
    /// sent. Default `RetryBudget.Configuration.default` (20% plus 10 per second over 10s);
    /// the per-second floor is process-wide.
    public var retryBudget: RetryBudget.Configuration
    /// `circuit_breakers`. Concurrency thresholds (process-wide) and the optional per-endpoint
    /// failure-rate breaker.
    public var circuitBreakers: CircuitBreakersConfiguration
    /// `outlier_detection`. Ejection of failing endpoints; nil (the default) for none.
    public var outlierDetection: OutlierDetector.Configuration?

    /// A cluster with the defaults for everything but its name and endpoints. Not validated: an
    /// `h2` or `auto` cluster built in code needs its `tls` given explicitly.
    public init(
        name: String,
        endpoints: [SocketAddressSpec],
        balancing: Balancing = .roundRobin,
        connectTimeout: Duration = .seconds(1),
        pool: PoolConfiguration = PoolConfiguration(),
        protocol: UpstreamProtocol = .http1,
        tls: UpstreamTLSConfiguration? = nil,
        http2: UpstreamHTTP2Configuration = UpstreamHTTP2Configuration(),
        retryBudget: RetryBudget.Configuration = .default,
        circuitBreakers: CircuitBreakersConfiguration = CircuitBreakersConfiguration(),
        outlierDetection: OutlierDetector.Configuration? = nil
    ) {
        self.name = name
        self.endpoints = endpoints
        self.balancing = balancing
        self.connectTimeout = connectTimeout
        self.pool = pool
        self.protocol = `protocol`
        self.tls = tls
        self.http2 = http2
        self.retryBudget = retryBudget
        self.circuitBreakers = circuitBreakers
        self.outlierDetection = outlierDetection
    }
}

/// `clusters[i].pool` — the upstream connection pool, per endpoint and per worker (workers share
/// nothing, DESIGN.md principle 1), so the process-wide maximum is this times `workers`.
public struct PoolConfiguration: Sendable, Equatable {
    /// `max_connections`. Default 1024. 1...65535. Open connections (busy + idle).
    public var maxConnections: Int
    /// `max_idle`. Default 128. 0...65535 and at most `max_connections`. Idle keep-alive
    /// connections kept for reuse; 0 disables reuse.
    public var maxIdle: Int
    /// `idle_timeout`. Default `60s`. 1ns...24h. An idle connection is closed after this long.
    public var idleTimeout: Duration

    /// The defaults: 1024 connections, 128 idle, 60s idle timeout.
    public init(maxConnections: Int = 1024, maxIdle: Int = 128, idleTimeout: Duration = .seconds(60)) {
        self.maxConnections = maxConnections
        self.maxIdle = maxIdle
        self.idleTimeout = idleTimeout
    }
}
