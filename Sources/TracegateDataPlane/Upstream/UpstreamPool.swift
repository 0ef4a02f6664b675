// UpstreamPool: one worker's connections to one upstream endpoint.

/// Idle keep-alive connections to one endpoint, owned by one worker and handed out synchronously.
///
/// Why per worker: a downstream connection and every upstream connection that serves it stay on
/// one thread, so leasing is a pop from an array — no lock, no atomic. LIFO keeps the hottest
/// connection (warm congestion window, least likely to have been closed by the peer's idle timer)
/// in use, as nginx's keepalive cache and HAProxy's idle lists do.
struct UpstreamPool {
    let address: SocketAddress
    /// The address as numbers, copied into attempt records.
    let peer: PeerAddress
    var maxConnections: Int
    var maxIdle: Int
    var idleTimeoutNanos: UInt64
    var connectTimeoutNanos: UInt64
    /// Idle connection fds, most recently used last.
    var idle: [Int32] = []
    /// Connections open to this endpoint (connecting, idle or active).
    var open: Int = 0
    /// Exchanges currently using this endpoint (for least-request balancing).
    var active: Int = 0
    /// Still referenced by the current snapshot; an orphaned pool closes connections as they return.
    var current = true

    init(address: SocketAddress, cluster: RuntimeSnapshot.Cluster) {
        self.address = address
        peer = PeerAddress(address.storage)
        maxConnections = cluster.maxConnectionsPerEndpoint
        maxIdle = cluster.maxIdlePerEndpoint
        idleTimeoutNanos = cluster.idleTimeoutNanos
        connectTimeoutNanos = cluster.connectTimeoutNanos
        idle.reserveCapacity(maxIdle)
    }

    mutating func removeIdle(_ fd: Int32) {
        if let i = idle.lastIndex(of: fd) { idle.remove(at: i) }
    }
}
