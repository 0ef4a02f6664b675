// RequestIndex: the bounded in-memory ring of recent request records.
import Synchronization
import TracegateDataPlane

/// The last N finished requests, searchable by correlation id, trace id, session id, status and
/// route — what `/debug/requests` answers from. Records are stored raw (plain values) and only
/// formatted when a query matches them, so indexing costs one copy per request. Bounded: the
/// oldest entry is overwritten.
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
        var items: [RequestRecord] = []
        var next = 0
    }

    let capacity: Int
    private let ring = Mutex(Ring())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Runs `body` with an `add` function that appends records under one lock acquisition, so a
    /// worker ring can be drained straight into the index without an intermediate copy.
    func withBatch(_ body: (_ add: (RequestRecord) -> Void) -> Void) {
        ring.withLock { r in
            body { record in
                if r.items.count < capacity {
                    r.items.append(record)
                } else {
                    r.items[r.next] = record
                }
                r.next = (r.next + 1) % capacity
            }
        }
    }

    /// Matching records, newest first.
    func search(_ q: Query, routes: [RuntimeSnapshot.Route]?) -> [RequestRecord] {
        ring.withLock { r in
            var out: [RequestRecord] = []
            let n = r.items.count
            var k = 0
            while k < n && out.count < q.limit {
                let s = r.items[(r.next - 1 - k + 2 * n) % n]
                k += 1
                if let c = q.correlationID, !s.correlationID.equals(c) { continue }
                if let t = q.traceID, s.traceID.description != t { continue }
                if let sid = q.sessionID, !s.sessionID.equals(sid) { continue }
                if let route = q.route {
                    guard let routes, s.routeIndex >= 0, s.routeIndex < routes.count, routes[s.routeIndex].name == route else { continue }
                }
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
