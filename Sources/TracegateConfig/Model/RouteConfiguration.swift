// RouteConfiguration.swift — one route: a match and the cluster that serves it.

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

    /// A route with the given fields; `timeout` defaults to 30s, the default of
    /// `timeouts.upstream_response`.
    public init(name: String, match: RouteMatch = RouteMatch(), cluster: String, timeout: Duration = .seconds(30)) {
        self.name = name
        self.match = match
        self.cluster = cluster
        self.timeout = timeout
    }
}
