// SpanDropReason.swift — why a span never reached the collector.

/// Why spans were dropped; the raw values are the `reason` label of the drop metric.
public enum SpanDropReason: String, Sendable, CaseIterable {
    /// The queue was full when the span was enqueued: the collector is slower than the traffic.
    case queueFull = "queue_full"
    /// The export request failed (after its one retry, when the failure was transient).
    case exportFailed = "export_failed"
    /// The collector accepted the request but reported these spans as rejected (`partial_success`).
    case rejected
    /// Still queued (or enqueued) when the exporter shut down and the flush time ran out.
    case shutdown
}
