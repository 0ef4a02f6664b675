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
        var spans: [SpanData] = []
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
        var initial = State()
        initial.spans.reserveCapacity(capacity)
        state = Mutex(initial)
    }

    func append(_ spans: some Collection<SpanData>) -> AppendResult {
        state.withLock { state in
            if state.closed {
                return AppendResult(accepted: 0, droppedFull: 0, droppedClosed: spans.count, wake: false)
            }
            let room = max(0, capacity - state.spans.count)
            let accepted = min(room, spans.count)
            state.spans.append(contentsOf: spans.prefix(accepted))
            var wake = false
            if !state.wakePending && state.spans.count >= batchSize {
                state.wakePending = true
                wake = true
            }
            return AppendResult(accepted: accepted, droppedFull: spans.count - accepted, droppedClosed: 0, wake: wake)
        }
    }

    func append(_ span: SpanData) -> AppendResult {
        append(CollectionOfOne(span))
    }

    /// Up to `batchSize` of the oldest spans; with `fullOnly`, nothing unless a whole batch waits.
    func take(fullOnly: Bool) -> [SpanData] {
        state.withLock { state in
            state.wakePending = false
            if state.spans.isEmpty || (fullOnly && state.spans.count < batchSize) { return [] }
            let count = min(batchSize, state.spans.count)
            let batch = Array(state.spans[..<count])
            state.spans.removeFirst(count)
            return batch
        }
    }

    var count: Int { state.withLock { $0.spans.count } }

    var hasFullBatch: Bool { state.withLock { $0.spans.count >= batchSize } }

    /// Refuses further spans and returns how many were still queued (they are discarded).
    func close() -> Int {
        state.withLock { state in
            state.closed = true
            let left = state.spans.count
            state.spans.removeAll()
            return left
        }
    }
}
