// OTLPExporter.swift — the public exporter: enqueue spans, read counters, shut down.
import Glibc
import Synchronization

/// Exports spans to an OTLP/HTTP collector from its own thread (`tg-otlp`).
///
/// Built for the proxy's access-log drain thread: ``enqueue(_:)-([SpanData])`` takes a lock for a
/// few array operations and never touches the network, so a slow or dead collector costs dropped
/// spans (counted), never a stalled drain. Spans are encoded here rather than with swift-otel,
/// because the data plane has already chosen the span ids and sent them upstream in `traceparent`;
/// the exported spans must carry exactly those ids.
public final class OTLPExporter: Sendable {
    public let configuration: OTLPExporterConfiguration
    private let shared: ExportShared
    /// The running thread; taken by the first `shutdown`.
    private let thread: Mutex<pthread_t?>

    /// Validates `configuration` and starts the exporter thread.
    public init(configuration: OTLPExporterConfiguration) throws(OTLPExporterError) {
        try configuration.validate()
        self.configuration = configuration
        let shared = try ExportShared(configuration: configuration)
        self.shared = shared
        let handle = try ExporterThread.start(name: "tg-otlp") {
            ExportWorker(shared: shared).run()
        }
        thread = Mutex(handle)
    }

    /// Dropped without `shutdown`: stop at once and let the thread end on its own, without waiting
    /// for an in-flight request here.
    deinit {
        if let handle = thread.withLock({ $0.take() }) {
            shared.requestStop(by: .now)
            pthread_detach(handle)
        }
    }

    /// Queues spans for export; returns at once. Spans that do not fit are dropped and counted
    /// (`queue_full`), as are spans enqueued after shutdown (`shutdown`). They are encoded here,
    /// on the caller's thread.
    public func enqueue(_ spans: [SpanData]) {
        var writer = SpanBatchWriter(capacity: spans.count * 768)
        for span in spans { writer.span(span) }
        enqueue(writer.finish())
    }

    /// Queues one span; see ``enqueue(_:)-([SpanData])``.
    public func enqueue(_ span: SpanData) {
        enqueue([span])
    }

    /// Queues spans already written with a ``SpanBatchWriter`` (kept or dropped together).
    public func enqueue(_ encoded: EncodedSpans) {
        record(shared.queue.append(encoded))
    }

    private func record(_ result: SpanQueue.AppendResult) {
        shared.counters.dropped(result.droppedFull, .queueFull)
        shared.counters.dropped(result.droppedClosed, .shutdown)
        if result.wake { shared.wake.signal() }
    }

    /// Sends what is queued for up to `flushWithin`, then stops the thread and returns. An export
    /// in flight is cut off at that time too. Later calls return at once.
    public func shutdown(flushWithin: Duration) {
        guard let handle = thread.withLock({ $0.take() }) else { return }
        shared.requestStop(by: .after(flushWithin))
        pthread_join(handle, nil)
    }

    /// The counters now; cheap enough for every `/metrics` scrape.
    public var statistics: OTLPExporterStatistics {
        let counters = shared.counters
        var dropped: [SpanDropReason: UInt64] = [:]
        for reason in SpanDropReason.allCases { dropped[reason] = counters.dropped(reason) }
        return OTLPExporterStatistics(
            spansExported: counters.spansExported.load(ordering: .relaxed),
            spansDropped: dropped,
            exportRequests: counters.exportRequests.load(ordering: .relaxed),
            exportFailures: counters.exportFailures.load(ordering: .relaxed),
            queuedSpans: shared.queue.count,
            lastError: counters.lastError
        )
    }

    /// The most recent export failure, for the debug page.
    public var lastError: String? { shared.counters.lastError }
}
