// UpstreamPools: every endpoint pool of one worker, and endpoint selection per cluster.

/// The worker's pools, addressed by index, plus the map from the current snapshot's clusters to them.
///
/// Pools are keyed by endpoint address, not by snapshot position, so a reload that keeps an
/// endpoint keeps its warm connections; endpoints that disappear keep serving in-flight exchanges
/// and close their connections as they come back.
struct UpstreamPools {
    var pools: [UpstreamPool] = []
    /// For each cluster of the current snapshot, the pool index of each of its endpoints.
    var clusterPools: [[Int]] = []
    /// Round-robin cursor per cluster.
    var cursors: [Int] = []

    mutating func apply(_ snapshot: RuntimeSnapshot) {
        for i in pools.indices { pools[i].current = false }
        clusterPools = snapshot.clusters.map { cluster in
            cluster.endpoints.map { address in
                if let i = pools.firstIndex(where: { $0.address == address }) {
                    pools[i].current = true
                    pools[i].maxConnections = cluster.maxConnectionsPerEndpoint
                    pools[i].maxIdle = cluster.maxIdlePerEndpoint
                    pools[i].idleTimeoutNanos = cluster.idleTimeoutNanos
                    pools[i].connectTimeoutNanos = cluster.connectTimeoutNanos
                    return i
                }
                pools.append(UpstreamPool(address: address, cluster: cluster))
                return pools.count - 1
            }
        }
        cursors = Array(repeating: 0, count: snapshot.clusters.count)
    }

    /// Picks the pool for the next attempt on a cluster: round robin, or the endpoint with the
    /// fewest active exchanges on this worker (ties broken round robin).
    mutating func select(cluster: Int, balancing: RuntimeSnapshot.Balancing) -> Int {
        let members = clusterPools[cluster]
        let n = members.count
        let start = cursors[cluster]
        cursors[cluster] = (start + 1) % n
        switch balancing {
        case .roundRobin:
            return members[start % n]
        case .leastRequest:
            var best = members[start % n]
            for k in 1..<max(n, 1) {
                let candidate = members[(start + k) % n]
                if pools[candidate].active < pools[best].active { best = candidate }
            }
            return best
        }
    }
}
