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
        /// Records ever added: the newest record's sequence number (the first is 1). The live
        /// stream's cursor, so each request is sent once.
        var added: UInt64 = 0
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
                r.added &+= 1
            }
        }
    }

    /// The newest record's sequence number (0 while empty).
    var lastSequence: UInt64 { ring.withLock { $0.added } }

    /// Records added after sequence `cursor`, oldest first, with their sequence numbers: at most
    /// the newest `limit` of them (older ones are skipped, as are those the ring already overwrote).
    func since(_ cursor: UInt64, limit: Int) -> [(sequence: UInt64, record: RequestRecord)] {
        ring.withLock { r in
            let n = UInt64(r.items.count)
            guard r.added > cursor, n > 0 else { return [] }
            let count = Int(min(r.added - cursor, n, UInt64(max(limit, 0))))
            var out: [(sequence: UInt64, record: RequestRecord)] = []
            out.reserveCapacity(count)
            for k in stride(from: count - 1, through: 0, by: -1) {
                // k = 0 is the newest record, at next - 1.
                let index = (r.next - 1 - k + 2 * r.items.count) % r.items.count
                out.append((r.added - UInt64(k), r.items[index]))
            }
            return out
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
