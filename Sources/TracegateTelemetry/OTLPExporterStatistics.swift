// OTLPExporterStatistics.swift — a snapshot of the exporter's counters.

/// The exporter's counters at one moment, for `/metrics` and the debug page. Every counter only
/// grows; each is read on its own, so the snapshot is not an atomic cut across them.
public struct OTLPExporterStatistics: Sendable, Equatable {
    /// Spans the collector accepted.
    public var spansExported: UInt64
    /// Spans dropped, by reason (every reason is present, zero when none).
    public var spansDropped: [SpanDropReason: UInt64]
    /// HTTP requests sent, retries included.
    public var exportRequests: UInt64
    /// Requests that did not end in a 2xx answer (connection errors, timeouts, other statuses).
    public var exportFailures: UInt64
    /// Spans waiting in the queue.
    public var queuedSpans: Int
    /// The most recent failure, for the debug page; `nil` until one happens.
    public var lastError: String?

    /// All dropped spans, whatever the reason.
    public var spansDroppedTotal: UInt64 { spansDropped.values.reduce(0, +) }
}
