// SpanQueue.swift — the bounded hand-over between the caller and the exporter thread.
import Synchronization

/// The bounded queue between the access-log drain thread and the exporter thread.
///
/// The lock is held only to append or take array elements, never across I/O, so the drain thread
/// never waits for the network. When the queue is full, new spans are refused (and counted by the
/// caller): dropping the newest keeps the spans already waiting, which are the oldest and the
/// closest to being sent.
final class SpanQueue: Sendable {
    private struct State {
        /// Encoded chunks, oldest first, and how many spans they hold together.
        var chunks: [EncodedSpans] = []
        var spans = 0
        /// A wake-up for a full batch is pending; avoids one wake-up (a syscall) per enqueue.
        var wakePending = false
        /// No more spans are accepted (the exporter is shutting down).
        var closed = false
    }

    struct AppendResult {
        var accepted: Int
        var droppedFull: Int
        var droppedClosed: Int
        /// A full batch is now waiting: wake the exporter.
        var wake: Bool
    }

    let capacity: Int
    let batchSize: Int
    private let state: Mutex<State>

    init(capacity: Int, batchSize: Int) {
        self.capacity = capacity
        self.batchSize = batchSize
        state = Mutex(State())
    }

    /// Queues a chunk whole, or drops it whole when its spans do not fit (a request's SERVER and
    /// CLIENT spans arrive or go together).
    func append(_ chunk: EncodedSpans) -> AppendResult {
        guard chunk.count > 0 else { return AppendResult(accepted: 0, droppedFull: 0, droppedClosed: 0, wake: false) }
        return state.withLock { state in
            if state.closed {
                return AppendResult(accepted: 0, droppedFull: 0, droppedClosed: chunk.count, wake: false)
            }
            guard state.spans + chunk.count <= capacity else {
                return AppendResult(accepted: 0, droppedFull: chunk.count, droppedClosed: 0, wake: false)
            }
            state.chunks.append(chunk)
            state.spans += chunk.count
            var wake = false
            if !state.wakePending && state.spans >= batchSize {
                state.wakePending = true
                wake = true
            }
            return AppendResult(accepted: chunk.count, droppedFull: 0, droppedClosed: 0, wake: wake)
        }
    }

    /// The oldest chunks holding up to `batchSize` spans (at least one chunk); with `fullOnly`,
    /// nothing unless a whole batch waits.
    func take(fullOnly: Bool) -> [EncodedSpans] {
        state.withLock { state in
            state.wakePending = false
            if state.spans == 0 || (fullOnly && state.spans < batchSize) { return [] }
            var taken = 0
            var n = 0
            while n < state.chunks.count && (n == 0 || taken + state.chunks[n].count <= batchSize) {
                taken += state.chunks[n].count
                n += 1
            }
            let batch = Array(state.chunks[..<n])
            state.chunks.removeFirst(n)
            state.spans -= taken
            return batch
        }
    }

    var count: Int { state.withLock { $0.spans } }

    var hasFullBatch: Bool { state.withLock { $0.spans >= batchSize } }

    /// Refuses further spans and returns how many were still queued (they are discarded).
    func close() -> Int {
        state.withLock { state in
            state.closed = true
            let left = state.spans
            state.chunks.removeAll()
            state.spans = 0
            return left
        }
    }
}
