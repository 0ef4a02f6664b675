// ExportWorker.swift — the exporter thread's loop: when to send what.

/// Runs on the exporter thread: batches the queue, sends, and stops on request.
///
/// A batch goes out as soon as `maxExportBatchSize` spans wait, and whatever waits is sent at the
/// latest `scheduleDelay` after the previous scheduled send: the OpenTelemetry batch span
/// processor's rules, so spans arrive in seconds under light traffic and in large requests under
/// heavy traffic.
final class ExportWorker {
    let shared: ExportShared
    let client: CollectorClient
    var configuration: OTLPExporterConfiguration { shared.configuration }

    init(shared: ExportShared) {
        self.shared = shared
        client = CollectorClient(shared: shared)
    }

    func run() {
        var nextScheduled = MonotonicTime.after(configuration.scheduleDelay)
        while shared.stopDeadline == nil {
            if shared.queue.hasFullBatch {
                export(shared.queue.take(fullOnly: true))
            } else if nextScheduled.hasPassed {
                exportQueued()
                nextScheduled = MonotonicTime.after(configuration.scheduleDelay)
            } else {
                shared.wake.wait(until: nextScheduled)
            }
        }
        flush()
    }

    /// Sends everything queued, batch by batch (stops early when shutdown is asked for).
    private func exportQueued() {
        while shared.stopDeadline == nil {
            let batch = shared.queue.take(fullOnly: false)
            if batch.isEmpty { return }
            export(batch)
        }
    }

    /// Shutdown: sends what is queued until the stop deadline, then discards the rest.
    private func flush() {
        while let deadline = shared.stopDeadline, !deadline.hasPassed {
            let batch = shared.queue.take(fullOnly: false)
            if batch.isEmpty { break }
            export(batch)
        }
        shared.counters.dropped(shared.queue.close(), .shutdown)
        client.disconnect()
    }
}
