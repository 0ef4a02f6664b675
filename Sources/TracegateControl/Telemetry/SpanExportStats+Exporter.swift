// SpanExportStats+Exporter: folding exporter statistics into the /metrics figures.
import TracegateTelemetry

extension SpanExportStats {
    /// These figures plus an exporter's (by drop reason), so replaced exporters keep counting.
    func adding(_ s: OTLPExporterStatistics) -> SpanExportStats {
        adding(SpanExportStats(exported: s.spansExported,
                               dropped: SpanDropReason.allCases.map { ($0.rawValue, s.spansDropped[$0] ?? 0) }))
    }

    func adding(_ other: SpanExportStats) -> SpanExportStats {
        var dropped = self.dropped
        for (reason, count) in other.dropped {
            if let i = dropped.firstIndex(where: { $0.reason == reason }) { dropped[i].count &+= count } else { dropped.append((reason, count)) }
        }
        return SpanExportStats(exported: exported &+ other.exported, dropped: dropped)
    }
}
