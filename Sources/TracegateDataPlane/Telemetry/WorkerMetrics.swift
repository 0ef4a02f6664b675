// WorkerMetrics: one worker's per-route, per-cluster and per-endpoint metric blocks.
import CTracegateShims

/// Request counts, duration histograms with exemplars, upstream attempt outcomes and pool gauges
/// of one worker, by *slot* (route, cluster, endpoint), in memory the control side reads when
/// `/metrics` or `/debug/state` is served.
///
/// Why per worker and by slot: like `WorkerCounters`, only the owning worker writes its block
/// (relaxed stores of value + 1, a plain `mov`) and the scraper sums the blocks of all workers, so
/// no request touches a shared atomic or a lock. Slots are fixed positions handed out by the
/// control side's `MetricSlots` and copied into the snapshot, so a worker finds a route's block
/// with one multiply and never hashes a name. The memory is mapped once, zero-filled by the
/// kernel: slots never used are never resident.
public final class WorkerMetrics: @unchecked Sendable {
    /// How many slots of each kind a block holds; the last slot of each kind is the overflow slot
    /// (`_overflow`) that every name beyond the capacity shares.
    public struct Capacity: Sendable, Equatable {
        public var routes: Int
        public var clusters: Int
        public var endpoints: Int

        /// 255 routes, 127 clusters and 1,023 endpoints before overflow: about 1.25 MiB of address
        /// space per worker, resident only where used.
        public static let standard = Capacity(routes: 256, clusters: 128, endpoints: 1024)

        public init(routes: Int, clusters: Int, endpoints: Int) {
            precondition(routes >= 2 && clusters >= 2 && endpoints >= 2, "each kind needs a named slot and the overflow slot")
            self.routes = routes
            self.clusters = clusters
            self.endpoints = endpoints
        }
    }

    /// Word offsets inside the blocks. Computed (not stored) so the request path loads no global.
    enum Layout {
        static var methods: Int { 8 }
        static var statusClasses: Int { 5 }
        /// Buckets, then the sum of nanoseconds, then one exemplar cell per bucket.
        static var histogramWords: Int { DurationBuckets.count + 1 + DurationBuckets.count * ExemplarCell.words }
        /// Route block: requests by method × status class, the duration histogram, then injected
        /// faults by kind × source (`WorkerMetrics+Faults`).
        static var routeHistogram: Int { methods * statusClasses }
        static var routeFaults: Int { routeHistogram + histogramWords }
        static var routeStride: Int { routeFaults + FaultKind.allCases.count * 2 }
        /// Cluster and endpoint blocks: attempts by outcome, 5xx responses, then the histogram.
        static var outcomes: Int { 8 }
        static var upstream5xx: Int { outcomes }
        static var upstreamHistogram: Int { outcomes + 1 }
        static var upstreamStride: Int { upstreamHistogram + histogramWords }
        /// Endpoint gauges: open, idle, active.
        static var gaugeStride: Int { 3 }
    }

    public let capacity: Capacity
    // Safety: written only by the owning worker thread (relaxed stores, release for exemplar
    // sequences); read by other threads with relaxed or acquire loads.
    let routes: UnsafeMutablePointer<UInt64>
    let clusters: UnsafeMutablePointer<UInt64>
    let endpoints: UnsafeMutablePointer<UInt64>
    let gauges: UnsafeMutablePointer<UInt64>
    private let memory: MappedWords

    public init(capacity: Capacity = .standard) {
        self.capacity = capacity
        let routeWords = capacity.routes * Layout.routeStride
        let clusterWords = capacity.clusters * Layout.upstreamStride
        let endpointWords = capacity.endpoints * Layout.upstreamStride
        let gaugeWords = capacity.endpoints * Layout.gaugeStride
        memory = MappedWords(count: routeWords + clusterWords + endpointWords + gaugeWords, purpose: "worker metrics")
        let words = memory.base
        routes = words
        clusters = routes + routeWords
        endpoints = clusters + clusterWords
        gauges = endpoints + endpointWords
    }

    /// Adds `delta` to a word this worker owns.
    @inline(__always)
    static func bump(_ p: UnsafeMutablePointer<UInt64>, _ delta: UInt64 = 1) {
        tg_store_relaxed(p, p.pointee &+ delta)
    }
}
