// TimeoutsConfiguration.swift — process-wide timeouts.

/// `timeouts:` — how long the proxy waits at each stage. Upper bound 24h for all of them: a
/// longer value is almost certainly a unit typo (`30h` for `30s`).
public struct TimeoutsConfiguration: Sendable, Equatable {
    /// `header_read`. Default `10s`. 1ns...24h. Time allowed to receive a complete request head
    /// (slow-loris protection).
    public var headerRead: Duration
    /// `keepalive_idle`. Default `60s`. 1ns...24h. An idle client connection between requests is
    /// closed after this long.
    public var keepaliveIdle: Duration
    /// `upstream_response`. Default `30s`. 1ns...24h. Time for the upstream's response head; the
    /// default of every route's `timeout`.
    public var upstreamResponse: Duration
    /// `tunnel_idle`. Default `300s`. 1ns...24h. An upgraded connection (WebSocket) with no byte
    /// in either direction for this long is closed, so abandoned tunnels never pin connections.
    public var tunnelIdle: Duration
    /// `drain`. Default `30s`. 0...24h. On shutdown or reload, in-flight requests get this long
    /// to finish; 0 closes at once.
    public var drain: Duration

    /// The defaults.
    public init(
        headerRead: Duration = .seconds(10),
        keepaliveIdle: Duration = .seconds(60),
        upstreamResponse: Duration = .seconds(30),
        tunnelIdle: Duration = .seconds(300),
        drain: Duration = .seconds(30)
    ) {
        self.headerRead = headerRead
        self.keepaliveIdle = keepaliveIdle
        self.upstreamResponse = upstreamResponse
        self.tunnelIdle = tunnelIdle
        self.drain = drain
    }
}
