// SpanExportStats: what the span exporter reports to /metrics.

/// Spans handed to the exporter and spans it dropped, by reason, for `tracegate_spans_exported_total`
/// and `tracegate_spans_dropped_total{reason}`. Filled by the span exporter; until one runs, the
/// admin listener passes nil and both families are rendered with zero values, so dashboards and
/// alerts written today find their series.
public struct SpanExportStats: Sendable {
    /// The reasons always rendered (zero when not reported): the export queue was full, the
    /// collector could not be reached or answered with an error, the collector rejected spans.
    public static let standardDropReasons = ["queue_full", "export_failed", "rejected"]

    public var exported: UInt64
    public var dropped: [(reason: String, count: UInt64)]

    public init(exported: UInt64 = 0, dropped: [(reason: String, count: UInt64)] = []) {
        self.exported = exported
        self.dropped = dropped
    }
}
