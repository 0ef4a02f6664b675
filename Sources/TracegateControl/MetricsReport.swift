// MetricsReport: every figure of one scrape, summed over workers, as plain values.
import TracegateDataPlane

/// What `/metrics` renders, collected once per scrape. Kept apart from rendering so the
/// renderer is a pure function of values (unit-tested with synthetic data in both dialects) and
/// the collection reads each worker's memory once.
struct MetricsReport {
    /// One route's requests by method × status class, and its request durations.
    struct Route {
        var name: String
        /// [method index][status class index], as `WorkerMetrics.methodLabels` × `statusClassLabels`.
        var requests: [[UInt64]] = Array(repeating: Array(repeating: 0, count: 5), count: 8)
        var duration = HistogramReading()
        /// Injected faults: [`FaultKind` raw value][`WorkerMetrics.faultSourceLabels` index].
        var faults: [[UInt64]] = Array(repeating: [0, 0], count: FaultKind.allCases.count)
    }

    /// Attempts of one cluster or endpoint.
    struct Upstream {
        /// By `WorkerMetrics.attemptOutcomes` position.
        var attempts: [UInt64] = Array(repeating: 0, count: WorkerMetrics.attemptOutcomes.count)
        /// Attempts answered with a 5xx status.
        var status5xx: UInt64 = 0
        var duration = HistogramReading()

        func attempts(_ outcome: AttemptOutcome) -> UInt64 {
            WorkerMetrics.attemptOutcomes.firstIndex(of: outcome).map { attempts[$0] } ?? 0
        }
    }

    struct Cluster {
        var name: String
        var upstream = Upstream()
        var guards = ClusterGuardFigures()
    }

    struct Endpoint {
        var cluster: String
        var endpoint: String
        var upstream = Upstream()
        var pool = PoolFigures()
        var guards = EndpointGuardFigures()
    }

    /// Process-wide counters and gauges, by name.
    var counters: [WorkerCounters.Name: UInt64] = [:]
    /// Tracegate's own error responses, by error code (every code, zeros included).
    var errors: [(code: String, count: UInt64)] = []
    /// Headers stripped from untrusted requests, by label (one entry per distinct label).
    var stripped: [(header: String, count: UInt64)] = []
    var routes: [Route] = []
    var clusters: [Cluster] = []
    var endpoints: [Endpoint] = []
    /// nil until a span exporter reports.
    var spans: SpanExportStats?
    var mirror = MirrorReport()
    /// The live dashboard's event streams: open now, and refused at the cap (nil: not reported).
    var dashboardStreams: (active: UInt64, rejected: UInt64)?

    func counter(_ name: WorkerCounters.Name) -> UInt64 { counters[name] ?? 0 }
}
