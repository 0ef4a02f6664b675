// WorkerMetrics+Routes: requests by route, method and status class, and their durations.
import CTracegateShims
import TracegateHTTP

extension WorkerMetrics {
    /// The `method` label values, by method index. Methods outside the list count as "other", so
    /// a client cannot grow the label set.
    public static let methodLabels = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"]
    /// The `code` label values, by status class index (the same classes as `tracegate_responses_total`).
    public static let statusClassLabels = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    @inline(__always)
    static func methodIndex(_ method: HTTPMethod) -> Int {
        switch method {
        case .get: 0
        case .head: 1
        case .post: 2
        case .put: 3
        case .delete: 4
        case .patch: 5
        case .options: 6
        default: 7
        }
    }

    /// The status class index. 0 (an exchange aborted before any status) counts as 5xx, as the
    /// process-wide response counter does.
    @inline(__always)
    static func statusClass(_ status: Int) -> Int {
        switch status {
        case 100..<200: 0
        case 200..<300: 1
        case 300..<400: 2
        case 400..<500: 3
        default: 4
        }
    }

    /// Counts one finished exchange of the route in `slot` (-1: no route matched; not counted).
    @inline(__always)
    func recordRequest(slot: Int, method: HTTPMethod, status: Int, nanos: UInt64, exemplar: ExemplarSource) {
        guard slot >= 0 && slot < capacity.routes else { return }
        let block = routes + slot * Layout.routeStride
        Self.bump(block + Self.methodIndex(method) * Layout.statusClasses + Self.statusClass(status))
        Self.observe(block + Layout.routeHistogram, nanos: nanos, exemplar: exemplar)
    }

    /// Requests of the route in `slot` with the method and status class of those indices.
    public func routeRequests(slot: Int, method: Int, statusClass: Int) -> UInt64 {
        guard slot >= 0 && slot < capacity.routes, method < Layout.methods, statusClass < Layout.statusClasses else { return 0 }
        return tg_load_relaxed(routes + slot * Layout.routeStride + method * Layout.statusClasses + statusClass)
    }

    /// The request duration histogram of the route in `slot`.
    public func routeDuration(slot: Int) -> HistogramReading {
        guard slot >= 0 && slot < capacity.routes else { return HistogramReading() }
        return Self.readHistogram(routes + slot * Layout.routeStride + Layout.routeHistogram)
    }
}
