// RequestIndex: the bounded in-memory ring of recent request summaries.
import Synchronization

/// The last N finished requests, searchable by correlation id, trace id, session id, status and
/// route — what `/debug/requests` answers from. Bounded: the oldest entry is overwritten.
final class RequestIndex: Sendable {
    struct Query: Sendable {
        var correlationID: String?
        var traceID: String?
        var sessionID: String?
        /// "5xx", "4xx"… or an exact code such as "502".
        var status: String?
        var route: String?
        var limit = 100
    }

    private struct Ring {
        var items: [RequestSummary] = []
        var next = 0
    }

    let capacity: Int
    private let ring = Mutex(Ring())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func append(_ s: RequestSummary) {
        ring.withLock { r in
            if r.items.count < capacity {
                r.items.append(s)
            } else {
                r.items[r.next] = s
            }
            r.next = (r.next + 1) % capacity
        }
    }

    /// Newest first.
    func search(_ q: Query) -> [RequestSummary] {
        ring.withLock { r in
            var out: [RequestSummary] = []
            let n = r.items.count
            var k = 0
            while k < n && out.count < q.limit {
                let i = (r.next - 1 - k + 2 * n) % n
                let s = r.items[i]
                k += 1
                if let c = q.correlationID, s.correlationID != c { continue }
                if let t = q.traceID, s.traceID != t { continue }
                if let sid = q.sessionID, s.sessionID != sid { continue }
                if let route = q.route, s.route != route { continue }
                if let st = q.status, !RequestIndex.status(s.status, matches: st) { continue }
                out.append(s)
            }
            return out
        }
    }

    static func status(_ code: Int, matches pattern: String) -> Bool {
        if pattern.count == 3, pattern.hasSuffix("xx"), let d = Int(pattern.prefix(1)) { return code / 100 == d }
        return Int(pattern) == code
    }
}
