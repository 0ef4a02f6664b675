// RouteConfiguration.swift — one route: a match, the cluster that serves it, retries, mirror and faults.

import TracegateResilience

/// `routes[i]` — requests matching `match` go to `cluster`.
public struct RouteConfiguration: Sendable, Equatable {
    /// `name`. Unique among routes. Default `route-<index>` (zero-based).
    public var name: String
    /// `match`. Default: every host, path prefix `/`.
    public var match: RouteMatch
    /// `cluster` (required). The `name` of a cluster in `clusters`.
    public var cluster: String
    /// `timeout`. How long to wait for the upstream's response head on this route.
    /// Default `timeouts.upstream_response` (30s). 1ns...24h.
    public var timeout: Duration
    /// `retry`. When and how often a failed attempt is tried again; each try waits at most
    /// `perTryTimeout`, or `timeout` when that is nil. nil (no `retry:` block) keeps
    /// `RetryPolicy.connectFailureOnly`: one more attempt after a connect failure only.
    public var retry: RetryPolicy?
    /// `mirror`. Shadow traffic to another cluster; nil (the default) mirrors nothing.
    public var mirror: MirrorConfiguration?
    /// `fault`. Delays and aborts injected on purpose (rehearsals); nil (the default) injects
    /// nothing. The per-request fault headers work without it.
    public var fault: FaultInjection?

    /// A route with the given fields; `timeout` defaults to 30s, the default of
    /// `timeouts.upstream_response`.
    public init(
        name: String,
        match: RouteMatch = RouteMatch(),
        cluster: String,
        timeout: Duration = .seconds(30),
        retry: RetryPolicy? = nil,
        mirror: MirrorConfiguration? = nil,
        fault: FaultInjection? = nil
    ) {
        self.name = name
        self.match = match
        self.cluster = cluster
        self.timeout = timeout
        self.retry = retry
        self.mirror = mirror
        self.fault = fault
    }
}
