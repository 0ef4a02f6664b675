// DebugDetails: the verbose, redacted headers of honoured debug requests.
import Synchronization

/// Request and response headers of requests whose debug header was honoured, handed from a worker
/// to the access log. Only honoured debug requests (rate-limited) take this path, so it may
/// allocate; ordinary requests never touch it. Bounded: beyond `capacity` pending entries new
/// ones are dropped.
public final class DebugDetails: Sendable {
    public struct Detail: Sendable {
        public var requestHeaders: [(name: String, value: String)] = []
        public var responseHeaders: [(name: String, value: String)] = []
    }

    private let entries = Mutex<[UInt64: Detail]>([:])
    let capacity: Int

    public init(capacity: Int = 1024) { self.capacity = capacity }

    func put(spanID: UInt64, _ detail: Detail) {
        entries.withLock { e in
            if e.count < capacity { e[spanID] = detail }
        }
    }

    /// Removes and returns the detail of the request whose SERVER span id is `spanID`.
    public func take(spanID: UInt64) -> Detail? {
        entries.withLock { $0.removeValue(forKey: spanID) }
    }
}
