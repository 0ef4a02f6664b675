// DashboardFigures: the live dashboard's `figures` event, from two successive metric reports.
import TracegateDataPlane
import TracegateResilience

/// Turns the cumulative figures of two `MetricsReport`s (the same collector `/metrics` uses) taken
/// `seconds` apart into rates: requests and errors per second, error ratio and latency quantiles
/// over the interval, per route, cluster and endpoint, plus breaker, ejection, retry-budget and
/// mirror figures. A pure function of values, so rate differencing is unit-tested with synthetic
/// reports; counters that went backwards (never, short of a slot reused) count as zero.
enum DashboardFigures {
    /// What the page needs besides the counters: which route feeds which cluster, the current
    /// endpoints, and the trace link template.
    struct Topology {
        var routes: [(name: String, cluster: String)] = []
        var clusters: [(name: String, endpoints: [String])] = []
        var traceURLTemplate: String?
    }

    static func topology(_ snapshot: RuntimeSnapshot?, traceURLTemplate: String?) -> Topology {
        var t = Topology(traceURLTemplate: traceURLTemplate)
        let clusters = snapshot?.clusters ?? []
        t.clusters = clusters.map { ($0.name, $0.endpoints.map(\.description)) }
        t.routes = (snapshot?.routes ?? []).map { r in
            (r.name, r.clusterIndex >= 0 && r.clusterIndex < clusters.count ? clusters[r.clusterIndex].name : "")
        }
        return t
    }

    /// The event's JSON object. `previous` nil (the first event of a stream) gives zero rates.
    static func render(previous: MetricsReport?, current: MetricsReport, seconds: Double, topology: Topology,
                       wallMillis: UInt64) -> String {
        let dt = seconds > 0 ? seconds : 1
        var j = JSONText()
        j.add("time_ms", wallMillis)
        // 0 on a stream's first event: its rates are zero for want of an interval.
        j.add("interval_s", previous == nil ? 0 : rounded(dt))
        if let template = topology.traceURLTemplate { j.add("trace_url_template", template) } else { j.addRaw("trace_url_template", "null") }
        j.addRaw("routes", array(topology.routes.map { route in
            routeObject(route, previous: previous, current: current, dt: dt)
        }))
        j.addRaw("clusters", array(topology.clusters.map { cluster in
            clusterObject(cluster, previous: previous, current: current, dt: dt)
        }))
        return j.finish()
    }

    private static func routeObject(_ route: (name: String, cluster: String), previous: MetricsReport?,
                                    current: MetricsReport, dt: Double) -> String {
        var j = JSONText()
        j.add("name", route.name)
        j.add("cluster", route.cluster)
        let now = current.routes.first { $0.name == route.name }
        let before = previous?.routes.first { $0.name == route.name }
        let total = now.map(requestTotal) ?? 0
        let errors = now.map(errorTotal) ?? 0
        let dTotal = delta(total, before.map(requestTotal))
        let dErrors = delta(errors, before.map(errorTotal))
        j.add("requests_total", total)
        j.add("errors_total", errors)
        red(&j, requests: dTotal, errors: dErrors, dt: dt, buckets: bucketDelta(now?.duration.buckets, before?.duration.buckets))
        if let m = current.mirror.routes.first(where: { $0.name == route.name }) {
            j.addRaw("mirror", mirrorObject(m, before: previous?.mirror.routes.first { $0.name == route.name }))
        }
        return j.finish()
    }

    private static func clusterObject(_ cluster: (name: String, endpoints: [String]), previous: MetricsReport?,
                                      current: MetricsReport, dt: Double) -> String {
        var j = JSONText()
        j.add("name", cluster.name)
        let now = current.clusters.first { $0.name == cluster.name }
        let before = previous?.clusters.first { $0.name == cluster.name }
        let attempts = now.map { attemptTotal($0.upstream) } ?? 0
        let errors = now.map { upstreamErrors($0.upstream) } ?? 0
        j.add("attempts_total", attempts)
        j.add("errors_total", errors)
        red(&j, requests: delta(attempts, before.map { attemptTotal($0.upstream) }),
            errors: delta(errors, before.map { upstreamErrors($0.upstream) }), dt: dt,
            buckets: bucketDelta(now?.upstream.duration.buckets, before?.upstream.duration.buckets))
        let g = now?.guards ?? ClusterGuardFigures()
        let retries = g.retries.reduce(0, &+)
        j.add("retries_total", retries)
        j.add("retries_per_s", rounded(Double(delta(retries, before.map { $0.guards.retries.reduce(0, &+) })) / dt))
        j.add("retries_given_up_total", g.givenUp.reduce(0, &+))
        j.add("retry_budget_available", g.budgetAvailable)
        j.add("retries_active", g.retriesActive)
        j.add("pending_requests", g.pending)
        j.add("circuit_open_rejections_total", g.circuitRejected)
        j.addRaw("endpoints", array(cluster.endpoints.map { address in
            endpointObject(cluster: cluster.name, address: address, previous: previous, current: current, dt: dt)
        }))
        return j.finish()
    }

    private static func endpointObject(cluster: String, address: String, previous: MetricsReport?,
                                       current: MetricsReport, dt: Double) -> String {
        var j = JSONText()
        j.add("endpoint", address)
        let now = current.endpoints.first { $0.cluster == cluster && $0.endpoint == address }
        let before = previous?.endpoints.first { $0.cluster == cluster && $0.endpoint == address }
        let attempts = now.map { attemptTotal($0.upstream) } ?? 0
        let errors = now.map { upstreamErrors($0.upstream) } ?? 0
        j.add("attempts_total", attempts)
        red(&j, requests: delta(attempts, before.map { attemptTotal($0.upstream) }),
            errors: delta(errors, before.map { upstreamErrors($0.upstream) }), dt: dt,
            buckets: bucketDelta(now?.upstream.duration.buckets, before?.upstream.duration.buckets))
        let g = now?.guards ?? EndpointGuardFigures()
        if g.hasBreaker {
            j.add("breaker", g.breakerStates[1] > 0 ? "open" : (g.breakerStates[2] > 0 ? "half_open" : "closed"))
            j.addRaw("breaker_workers", "{\"closed\":\(g.breakerStates[0]),\"open\":\(g.breakerStates[1]),\"half_open\":\(g.breakerStates[2])}")
        } else {
            j.addRaw("breaker", "null")
        }
        j.add("ejected_workers", g.ejected)
        j.add("ejections_total", g.ejections.reduce(0, &+))
        j.add("in_flight", now?.pool.active ?? 0)
        j.add("open_connections", now?.pool.open ?? 0)
        return j.finish()
    }

    private static func mirrorObject(_ m: MirrorReport.Route, before: MirrorReport.Route?) -> String {
        var j = JSONText()
        var matches: UInt64 = 0, mismatches: UInt64 = 0, dMatches: UInt64 = 0, dMismatches: UInt64 = 0
        for k in m.diffs.indices {
            let d = delta(m.diffs[k], before.map { $0.diffs[k] })
            if MirrorComparison.isMatch(kindIndex: k) { matches &+= m.diffs[k]; dMatches &+= d }
            if MirrorComparison.isMismatch(kindIndex: k) { mismatches &+= m.diffs[k]; dMismatches &+= d }
        }
        j.add("sent_total", m.requests(.sent))
        j.add("dropped_total", m.requests(.droppedInFlight) &+ m.requests(.skippedBody))
        j.add("matches_total", matches)
        j.add("mismatches_total", mismatches)
        // Over the whole life of the process, and over the last interval (null when nothing compared).
        ratio(&j, "match_ratio", matches, matches &+ mismatches)
        ratio(&j, "match_ratio_interval", dMatches, dMatches &+ dMismatches)
        j.add("in_flight", Int(m.inFlight))
        return j.finish()
    }

    /// rate, error rate, error ratio and p50/p99 (milliseconds; null without observations).
    private static func red(_ j: inout JSONText, requests: UInt64, errors: UInt64, dt: Double, buckets: [UInt64]) {
        j.add("rate_per_s", rounded(Double(requests) / dt))
        j.add("errors_per_s", rounded(Double(errors) / dt))
        ratio(&j, "error_ratio", errors, requests)
        for (key, q) in [("p50_ms", 0.5), ("p99_ms", 0.99)] {
            if let s = quantile(buckets, q) { j.add(key, rounded(s * 1000)) } else { j.addRaw(key, "null") }
        }
    }

    private static func ratio(_ j: inout JSONText, _ key: String, _ part: UInt64, _ whole: UInt64) {
        if whole == 0 { j.addRaw(key, "null") } else { j.add(key, rounded(Double(min(part, whole)) / Double(whole))) }
    }

    /// The growth of a counter since the previous sample (nothing on the first: no interval yet).
    static func delta(_ now: UInt64, _ before: UInt64?) -> UInt64 {
        guard let before else { return 0 }
        return now >= before ? now - before : 0
    }

    static func bucketDelta(_ now: [UInt64]?, _ before: [UInt64]?) -> [UInt64] {
        guard let now, let before, before.count == now.count else { return [] }
        return zip(now, before).map { $0 >= $1 ? $0 - $1 : 0 }
    }

    /// The `q` quantile in seconds of per-bucket (not cumulative) counts over `DurationBuckets`,
    /// interpolated linearly inside its bucket as Prometheus' `histogram_quantile` does; an
    /// observation in +Inf reads as the largest finite bound. nil without observations.
    static func quantile(_ buckets: [UInt64], _ q: Double) -> Double? {
        let total = buckets.reduce(0, &+)
        guard total > 0, buckets.count == DurationBuckets.count else { return nil }
        let rank = q * Double(total)
        var seen: UInt64 = 0
        for (i, count) in buckets.enumerated() {
            if count > 0 && Double(seen + count) >= rank {
                let upper = DurationBuckets.boundNanos(i)
                let lower = i == 0 ? 0 : DurationBuckets.boundNanos(i - 1)
                if upper == UInt64.max { return Double(lower) / 1e9 }
                let fraction = max(0, min(1, (rank - Double(seen)) / Double(count)))
                return (Double(lower) + (Double(upper) - Double(lower)) * fraction) / 1e9
            }
            seen += count
        }
        return nil
    }

    static func requestTotal(_ r: MetricsReport.Route) -> UInt64 { r.requests.reduce(0) { $0 &+ $1.reduce(0, &+) } }

    /// 5xx answers to the client (Tracegate's own included).
    static func errorTotal(_ r: MetricsReport.Route) -> UInt64 { r.requests.reduce(0) { $0 &+ $1[4] } }

    static func attemptTotal(_ u: MetricsReport.Upstream) -> UInt64 { u.attempts.reduce(0, &+) }

    /// 5xx answers and transport failures, as `tracegate_upstream_errors_total` counts them.
    static func upstreamErrors(_ u: MetricsReport.Upstream) -> UInt64 {
        MetricsExposition.errorKinds.reduce(0) { $0 &+ ($1.outcome.map { u.attempts($0) } ?? u.status5xx) }
    }

    private static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    private static func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
