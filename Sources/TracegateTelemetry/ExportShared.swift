// ExportShared.swift — the state the exporter's caller and its thread share.
import Synchronization

/// Everything the public ``OTLPExporter`` and its thread both touch. A separate object so the thread
/// does not keep the exporter itself alive: when the owner drops the exporter without calling
/// `shutdown`, `deinit` can still tell the thread to stop.
final class ExportShared: Sendable {
    let configuration: OTLPExporterConfiguration
    let queue: SpanQueue
    let counters = ExportCounters()
    let wake: WakeSignal
    /// When the thread must be gone, in `CLOCK_MONOTONIC` nanoseconds; 0 while running.
    private let stopAt = Atomic<UInt64>(0)

    init(configuration: OTLPExporterConfiguration) throws(OTLPExporterError) {
        self.configuration = configuration
        queue = SpanQueue(capacity: configuration.maxQueueSize, batchSize: configuration.maxExportBatchSize)
        wake = try WakeSignal()
    }

    /// The shutdown deadline, once shutdown was asked for.
    var stopDeadline: MonotonicTime? {
        let value = stopAt.load(ordering: .acquiring)
        return value == 0 ? nil : MonotonicTime(nanoseconds: value)
    }

    /// Asks the thread to flush until `deadline` and stop. A second call can only bring the deadline
    /// forward.
    func requestStop(by deadline: MonotonicTime) {
        let wanted = max(1, deadline.nanoseconds)
        var current = stopAt.load(ordering: .relaxed)
        while current == 0 || wanted < current {
            let (exchanged, original) = stopAt.compareExchange(
                expected: current,
                desired: wanted,
                ordering: .acquiringAndReleasing
            )
            if exchanged { break }
            current = original
        }
        wake.signal()
    }
}
