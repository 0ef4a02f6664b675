// MetricsExposition: /metrics, rendered from the workers' counters and metric blocks at scrape time.
import TracegateDataPlane

/// Renders one scrape in the dialect the scraper asked for: Prometheus text 0.0.4 by default,
/// OpenMetrics 1.0.0 (with exemplars on the duration histograms) for an `Accept` header naming
/// `application/openmetrics-text`.
///
/// Why by hand and not through a metrics library: every figure already sits in per-worker blocks
/// (counters, bucket arrays) that are summed here; a library would want each increment or
/// observation one at a time on a shared object, which the data plane must not touch per request.
enum MetricsExposition {
    /// The response to one scrape: content type and body.
    static func render(dataPlane: DataPlane, snapshot: RuntimeSnapshot?, spans: SpanExportStats?,
                       accept: String?, streams: DashboardStream? = nil) -> (contentType: String, body: String) {
        let dialect = MetricsDialect.negotiate(accept: accept)
        var report = MetricsReport.collect(dataPlane: dataPlane, snapshot: snapshot, spans: spans)
        if let streams { report.dashboardStreams = (UInt64(max(streams.activeStreams, 0)), streams.rejectedStreams) }
        return (dialect.contentType, render(report, dialect: dialect))
    }

    /// Every family of `report`, in a fixed order: process-wide, routes, upstreams, spans.
    static func render(_ report: MetricsReport, dialect: MetricsDialect) -> String {
        var w = MetricsWriter(dialect: dialect)
        renderProcess(report, into: &w)
        renderRoutes(report, into: &w)
        renderUpstreams(report, into: &w)
        renderResilience(report, into: &w)
        renderMirror(report.mirror, into: &w)
        renderSpans(report.spans, into: &w)
        return w.finish()
    }
}
