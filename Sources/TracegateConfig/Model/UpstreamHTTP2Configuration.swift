// UpstreamHTTP2Configuration.swift — HTTP/2 settings for connections to a cluster.

/// `clusters[i].http2` — how Tracegate uses HTTP/2 connections to a cluster (`protocol` `h2c`,
/// `h2` or `auto`; refused for `http1`).
///
/// HTTP/2 multiplexes requests, so one connection carries up to
/// `max_concurrent_streams_per_connection` of them at once; `pool.max_connections` still caps
/// the connections per endpoint per worker, and `pool.max_idle`/`pool.idle_timeout` apply to
/// connections with no request in flight.
public struct UpstreamHTTP2Configuration: Sendable, Equatable {
    /// `max_concurrent_streams_per_connection`. Default 100. 1...10000. Requests in flight on
    /// one connection. The effective limit is the smaller of this and the server's
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` (RFC 9113 §6.5.2), which it may lower at any time.
    public var maxConcurrentStreamsPerConnection: Int

    /// The defaults.
    public init(maxConcurrentStreamsPerConnection: Int = 100) {
        self.maxConcurrentStreamsPerConnection = maxConcurrentStreamsPerConnection
    }
}
