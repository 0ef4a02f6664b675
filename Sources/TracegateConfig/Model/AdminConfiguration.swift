// AdminConfiguration.swift — the admin listener (/debug/state, metrics, health).

/// `admin:` — where the admin endpoints listen.
///
/// Kept apart from traffic listeners so that operational endpoints are never exposed on the
/// public address by accident; validation rejects an admin address equal to (or overlapping) a
/// traffic listener's.
public struct AdminConfiguration: Sendable, Equatable {
    /// `admin.address`. IPv4 literal, `[IPv6]` literal or `localhost`, port 0-65535.
    /// Default `127.0.0.1:9901` (loopback only).
    public var address: SocketAddressSpec
    /// `admin.request_history`. Default 10000. 1...1000000. How many finished requests
    /// `/debug/requests` can search (a ring: the oldest is overwritten; about 1.5 KB each).
    public var requestHistory: Int

    /// The defaults: `127.0.0.1:9901`, 10,000 requests of history.
    public init(address: SocketAddressSpec = SocketAddressSpec(host: "127.0.0.1", port: 9901), requestHistory: Int = 10_000) {
        self.address = address
        self.requestHistory = requestHistory
    }
}
