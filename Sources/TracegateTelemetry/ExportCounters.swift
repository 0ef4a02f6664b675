// ExportCounters.swift — the exporter's counters, shared between threads.
import Synchronization

/// Counters written by the enqueueing thread (queue drops) and the exporter thread, read by any
/// thread. Relaxed atomics: each counter is an independent monotonic count, nothing is ordered by it.
final class ExportCounters: Sendable {
    let spansExported = Atomic<UInt64>(0)
    let exportRequests = Atomic<UInt64>(0)
    let exportFailures = Atomic<UInt64>(0)
    private let droppedQueueFull = Atomic<UInt64>(0)
    private let droppedExportFailed = Atomic<UInt64>(0)
    private let droppedRejected = Atomic<UInt64>(0)
    private let droppedShutdown = Atomic<UInt64>(0)
    private let lastErrorText = Mutex<String?>(nil)

    func dropped(_ count: Int, _ reason: SpanDropReason) {
        guard count > 0 else { return }
        withCounter(reason) { _ = $0.add(UInt64(count), ordering: .relaxed) }
    }

    func dropped(_ reason: SpanDropReason) -> UInt64 {
        withCounter(reason) { $0.load(ordering: .relaxed) }
    }

    func exported(_ count: Int) {
        guard count > 0 else { return }
        spansExported.add(UInt64(count), ordering: .relaxed)
    }

    func requestSent() {
        exportRequests.add(1, ordering: .relaxed)
    }

    func requestFailed(_ message: String) {
        exportFailures.add(1, ordering: .relaxed)
        lastError = message
    }

    var lastError: String? {
        get { lastErrorText.withLock { $0 } }
        set { lastErrorText.withLock { $0 = newValue } }
    }

    private func withCounter<R>(_ reason: SpanDropReason, _ body: (borrowing Atomic<UInt64>) -> R) -> R {
        switch reason {
        case .queueFull: return body(droppedQueueFull)
        case .exportFailed: return body(droppedExportFailed)
        case .rejected: return body(droppedRejected)
        case .shutdown: return body(droppedShutdown)
        }
    }
}
