// MetricLabels: the names behind metric slots, as one consistent copy for a scrape.

/// Route, cluster and endpoint names by slot number, plus whether any name spilled into the
/// overflow slot. Copied out of `MetricSlots` once per scrape, so a reload during a scrape cannot
/// mislabel a series.
public struct MetricLabels: Sendable {
    /// Route names; index = slot.
    public var routes: [String] = []
    /// Cluster names; index = slot.
    public var clusters: [String] = []
    /// (cluster, endpoint address); index = slot.
    public var endpoints: [(cluster: String, endpoint: String)] = []
    public var routesOverflowed = false
    public var clustersOverflowed = false
    public var endpointsOverflowed = false

    public init() {}

    /// (slot, name) of every route slot in use, the overflow slot last when something spilled into it.
    public func routeSlots(capacity: WorkerMetrics.Capacity) -> [(slot: Int, name: String)] {
        Array(routes.enumerated().map { ($0.offset, $0.element) })
            + (routesOverflowed ? [(capacity.routes - 1, MetricSlots.overflowLabel)] : [])
    }

    /// (slot, name) of every cluster slot in use, the overflow slot last when something spilled into it.
    public func clusterSlots(capacity: WorkerMetrics.Capacity) -> [(slot: Int, name: String)] {
        Array(clusters.enumerated().map { ($0.offset, $0.element) })
            + (clustersOverflowed ? [(capacity.clusters - 1, MetricSlots.overflowLabel)] : [])
    }

    /// (slot, cluster, endpoint) of every endpoint slot in use, the overflow slot last when
    /// something spilled into it (both of its labels are `_overflow`).
    public func endpointSlots(capacity: WorkerMetrics.Capacity) -> [(slot: Int, cluster: String, endpoint: String)] {
        Array(endpoints.enumerated().map { ($0.offset, $0.element.cluster, $0.element.endpoint) })
            + (endpointsOverflowed ? [(capacity.endpoints - 1, MetricSlots.overflowLabel, MetricSlots.overflowLabel)] : [])
    }
}
