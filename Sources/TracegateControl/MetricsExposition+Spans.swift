// MetricsExposition+Spans: the span exporter's figures.

extension MetricsExposition {
    /// `tracegate_spans_exported_total` and `tracegate_spans_dropped_total{reason}`. The standard
    /// reasons are always present (zero until reported), then any other reason the exporter gave;
    /// a reason reported twice is summed.
    static func renderSpans(_ spans: SpanExportStats?, into w: inout MetricsWriter) {
        w.family("tracegate_spans_exported_total", .counter, help: "Spans handed to the span exporter's collector.")
        w.sample("tracegate_spans_exported_total", [], spans?.exported ?? 0)
        var dropped: [(reason: String, count: UInt64)] = SpanExportStats.standardDropReasons.map { ($0, 0) }
        for (reason, count) in spans?.dropped ?? [] {
            if let i = dropped.firstIndex(where: { $0.reason == reason }) {
                dropped[i].count &+= count
            } else {
                dropped.append((reason, count))
            }
        }
        w.family("tracegate_spans_dropped_total", .counter, help: "Spans the exporter dropped, by reason.")
        for (reason, count) in dropped { w.sample("tracegate_spans_dropped_total", [("reason", reason)], count) }
    }
}
