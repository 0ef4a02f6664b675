// UpstreamPools: every endpoint pool of one worker, and endpoint selection per cluster.

/// The worker's pools, addressed by index, plus the map from the current snapshot's clusters to them.
///
/// Pools are keyed by endpoint address, not by snapshot position, so a reload that keeps an
/// endpoint keeps its warm connections; endpoints that disappear keep serving in-flight exchanges
/// and close their connections as they come back. Every change of a pool's open, idle or active
/// count goes through `UpstreamPools+Connections`, which mirrors it into the worker's gauges.
struct UpstreamPools {
    var pools: [UpstreamPool] = []
    /// For each cluster of the current snapshot, the pool index of each of its endpoints.
    var clusterPools: [[Int]] = []
    /// For each cluster of the current snapshot, the metric slot of each of its endpoints
    /// (cluster + address), parallel to `clusterPools`.
    var memberSlots: [[Int]] = []
    /// Round-robin cursor per cluster.
    var cursors: [Int] = []
    /// Where the pools' connection gauges are published.
    let metrics: WorkerMetrics

    init(metrics: WorkerMetrics) {
        self.metrics = metrics
    }

    mutating func apply(_ snapshot: RuntimeSnapshot) {
        for i in pools.indices { pools[i].current = false }
        clusterPools = []
        memberSlots = []
        for cluster in snapshot.clusters {
            var members: [Int] = []
            var slots: [Int] = []
            for (j, address) in cluster.endpoints.enumerated() {
                let slot = cluster.endpointSlot(j)
                if let i = pools.firstIndex(where: { $0.address == address }) {
                    // The first cluster naming the address owns the pool's gauges.
                    if !pools[i].current { moveGauges(i, to: slot) }
                    pools[i].current = true
                    pools[i].maxConnections = cluster.maxConnectionsPerEndpoint
                    pools[i].maxIdle = cluster.maxIdlePerEndpoint
                    pools[i].idleTimeoutNanos = cluster.idleTimeoutNanos
                    pools[i].connectTimeoutNanos = cluster.connectTimeoutNanos
                    members.append(i)
                } else {
                    pools.append(UpstreamPool(address: address, cluster: cluster, metricSlot: slot))
                    members.append(pools.count - 1)
                }
                slots.append(slot)
            }
            clusterPools.append(members)
            memberSlots.append(slots)
        }
        cursors = Array(repeating: 0, count: snapshot.clusters.count)
    }

    /// Picks the pool for the next attempt on a cluster: round robin, or the endpoint with the
    /// fewest active exchanges on this worker (ties broken round robin). Returns the pool index
    /// and the endpoint's position in the cluster (for its metric slot).
    mutating func select(cluster: Int, balancing: RuntimeSnapshot.Balancing) -> (pool: Int, member: Int) {
        let members = clusterPools[cluster]
        let n = members.count
        let start = cursors[cluster]
        cursors[cluster] = (start + 1) % n
        switch balancing {
        case .roundRobin:
            return (members[start % n], start % n)
        case .leastRequest:
            var best = start % n
            for k in 1..<max(n, 1) {
                let candidate = (start + k) % n
                if pools[members[candidate]].active < pools[members[best]].active { best = candidate }
            }
            return (members[best], best)
        }
    }
}
