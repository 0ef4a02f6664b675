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
    /// HTTP/2 connections (connecting, busy or idle): shared by many exchanges at once, so they
    /// are never on the idle list.
    var h2Connections: [Int32] = []
    /// Exchanges waiting for a connection to this endpoint (the pool was at `maxConnections`, or
    /// the cluster at its `circuit_breakers.max_connections`).
    var waiters = WaitQueue()
    /// Connections open to this endpoint (connecting, idle or active).
    var open: Int = 0
    /// Exchanges currently using this endpoint (for least-request balancing).
    var active: Int = 0
    /// Still referenced by the current snapshot; an orphaned pool closes connections as they return.
    var current = true
    /// The endpoint slot whose gauges (`WorkerMetrics`) count this pool's connections: that of the
    /// first cluster naming the address (one pool serves every cluster that names it).
    var metricSlot: Int

    init(address: SocketAddress, cluster: RuntimeSnapshot.Cluster, metricSlot: Int) {
        self.address = address
        self.metricSlot = metricSlot
        peer = PeerAddress(address.storage)
        maxConnections = cluster.maxConnectionsPerEndpoint
        maxIdle = cluster.maxIdlePerEndpoint
        idleTimeoutNanos = cluster.idleTimeoutNanos
        connectTimeoutNanos = cluster.connectTimeoutNanos
        idle.reserveCapacity(maxIdle)
    }

    /// Takes `fd` out of the idle list; false when it was not there.
    mutating func removeIdle(_ fd: Int32) -> Bool {
        guard let i = idle.lastIndex(of: fd) else { return false }
        idle.remove(at: i)
        return true
    }
}
