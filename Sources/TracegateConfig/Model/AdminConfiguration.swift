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

    /// The defaults: `127.0.0.1:9901`.
    public init(address: SocketAddressSpec = SocketAddressSpec(host: "127.0.0.1", port: 9901)) {
        self.address = address
    }
}
