// MetricSlots: the control side's registry of metric slots by route, cluster and endpoint name.
import Synchronization

/// Hands out the slot numbers that workers index their `WorkerMetrics` blocks with, and resolves
/// them back to labels at scrape time.
///
/// Why a registry that never forgets: a slot's counters live in every worker's block for the
/// life of the process. If a reload renumbered routes, a counter would jump from one route's
/// series to another's; here a name keeps its slot across reloads (even while absent from the
/// config, so its counters stay monotonic if it comes back), and new names take the next free
/// slot. Past the capacity, every new name shares the last slot, labelled `_overflow`, so a
/// config with thousands of routes costs bounded memory and is still counted in total.
public final class MetricSlots: Sendable {
    /// The label of the shared slot past the capacity.
    public static let overflowLabel = "_overflow"

    public let capacity: WorkerMetrics.Capacity

    private struct State {
        var routes: [String: Int] = [:]
        var clusters: [String: Int] = [:]
        var endpoints: [String: [String: Int]] = [:]
        var labels = MetricLabels()
    }

    private let state = Mutex(State())

    public init(capacity: WorkerMetrics.Capacity = .standard) {
        self.capacity = capacity
    }

    /// The slot of route `name`, assigned on first use.
    public func routeSlot(_ name: String) -> Int {
        state.withLock { s in
            if let slot = s.routes[name] { return slot }
            let slot = s.labels.routes.count < capacity.routes - 1 ? s.labels.routes.count : capacity.routes - 1
            if slot < capacity.routes - 1 { s.labels.routes.append(name) } else { s.labels.routesOverflowed = true }
            s.routes[name] = slot
            return slot
        }
    }

    /// The slot of cluster `name`, assigned on first use.
    public func clusterSlot(_ name: String) -> Int {
        state.withLock { s in
            if let slot = s.clusters[name] { return slot }
            let slot = s.labels.clusters.count < capacity.clusters - 1 ? s.labels.clusters.count : capacity.clusters - 1
            if slot < capacity.clusters - 1 { s.labels.clusters.append(name) } else { s.labels.clustersOverflowed = true }
            s.clusters[name] = slot
            return slot
        }
    }

    /// The slot of `endpoint` (an address, e.g. "10.0.0.5:9000") in cluster `cluster`, assigned on
    /// first use. The same address in two clusters is two endpoints: each cluster's share of it is
    /// counted apart.
    public func endpointSlot(cluster: String, endpoint: String) -> Int {
        state.withLock { s in
            if let slot = s.endpoints[cluster]?[endpoint] { return slot }
            let slot = s.labels.endpoints.count < capacity.endpoints - 1 ? s.labels.endpoints.count : capacity.endpoints - 1
            if slot < capacity.endpoints - 1 {
                s.labels.endpoints.append((cluster, endpoint))
            } else {
                s.labels.endpointsOverflowed = true
            }
            s.endpoints[cluster, default: [:]][endpoint] = slot
            return slot
        }
    }

    /// Every name assigned so far, by slot, for rendering.
    public func labels() -> MetricLabels {
        state.withLock { $0.labels }
    }
}
