// DashboardStream: `/debug/stream`, the live dashboard's Server-Sent Events.
import Glibc
import Synchronization
import TracegateDataPlane

/// Pushes, about once per second, a `figures` event (rates from differencing successive metric
/// reports, see ``DashboardFigures``) and a `requests` event with the requests finished since the
/// previous one (each once: the request index's sequence number is the event id, so a reconnecting
/// `EventSource` resumes after the last request it saw through `Last-Event-ID`).
///
/// Reads only what `/metrics` reads (relaxed loads of worker blocks) and the request index under
/// its own lock: no worker ever waits for a stream. Concurrent streams are capped; the cap's
/// refusals are counted (`/debug/state` `dashboard_streams`).
final class DashboardStream: Sendable {
    static let defaultMaxStreams = 8
    /// How many requests the first event carries (a fresh page shows recent history at once),
    /// and the most any later event carries (the page keeps up even under heavy traffic).
    static let backlog = 200
    static let maxPerEvent = 500
    /// A comment line this often keeps proxies from timing the stream out and lets a write fail
    /// on a dead client even when nothing else is sent.
    static let heartbeatMillis = 5_000

    let maxStreams: Int
    let intervalMillis: Int
    private let active = Atomic<Int>(0)
    private let rejected = Atomic<UInt64>(0)
    private let served = Atomic<UInt64>(0)

    init(maxStreams: Int = DashboardStream.defaultMaxStreams, intervalMillis: Int = 1_000) {
        self.maxStreams = maxStreams
        self.intervalMillis = intervalMillis
    }

    var activeStreams: Int { active.load(ordering: .relaxed) }
    var rejectedStreams: UInt64 { rejected.load(ordering: .relaxed) }
    var servedStreams: UInt64 { served.load(ordering: .relaxed) }

    /// The response for one `GET /debug/stream`: the stream, or 503 when `maxStreams` run already.
    func response(_ request: SimpleRequest, state: ControlState, dataPlane: DataPlane, index: RequestIndex) -> SimpleResponse {
        let (_, count) = active.add(1, ordering: .relaxed)
        guard count <= maxStreams else {
            active.subtract(1, ordering: .relaxed)
            rejected.add(1, ordering: .relaxed)
            return SimpleResponse(status: 503, body: "{\"error\":\"too_many_streams\",\"max_streams\":\(maxStreams)}\n",
                                  headers: [("Retry-After", "5"), ("Cache-Control", "no-store")])
        }
        served.add(1, ordering: .relaxed)
        let resume = request.header("Last-Event-ID").flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        // `?events=N`: end after N rounds (a `figures` event and its `requests`), for terminals and
        // scripts (`curl -N …?events=1` returns); absent, the stream runs until the client goes.
        var rounds: Int?
        if let text = request.queryItems["events"] {
            guard let n = Int(text), (1...10_000).contains(n) else {
                active.subtract(1, ordering: .relaxed)
                return SimpleResponse(status: 400, body: "{\"error\":\"bad_events\",\"detail\":\"events must be an integer 1...10000\"}\n")
            }
            rounds = n
        }
        let headers = [("Cache-Control", "no-store"), ("X-Accel-Buffering", "no")]
        let limit = rounds
        return SimpleResponse(streaming: "text/event-stream; charset=utf-8", headers: headers) { [self] writer in
            defer { active.subtract(1, ordering: .relaxed) }
            run(writer, resume: resume, rounds: limit, state: state, dataPlane: dataPlane, index: index)
        }
    }

    private func run(_ writer: StreamWriter, resume: UInt64?, rounds: Int?, state: ControlState, dataPlane: DataPlane,
                     index: RequestIndex) {
        // The browser's reconnect delay; the cursor starts after the client's last request, or
        // `backlog` requests back.
        guard writer.write("retry: 2000\n\n") else { return }
        let newest = index.lastSequence
        var cursor = resume.map { min($0, newest) } ?? (newest > UInt64(Self.backlog) ? newest - UInt64(Self.backlog) : 0)
        var previous: MetricsReport?
        var previousAt = monotonicNanos()
        var lastHeartbeat = previousAt
        var sent = 0
        while writer.isOpen {
            let snapshot = state.snapshot
            let report = MetricsReport.collect(dataPlane: dataPlane, snapshot: snapshot, spans: nil)
            let now = monotonicNanos()
            let topology = DashboardFigures.topology(snapshot, traceURLTemplate: state.traceURLTemplate)
            let figures = DashboardFigures.render(previous: previous, current: report, seconds: Double(now - previousAt) / 1e9,
                                                  topology: topology, wallMillis: tg_wallMillis())
            previous = report
            previousAt = now
            guard writer.write(Self.event("figures", id: nil, data: figures)) else { return }
            let batch = index.since(cursor, limit: Self.maxPerEvent)
            if let last = batch.last?.sequence {
                let data = Self.requestsJSON(batch, routes: snapshot?.routes, clusters: snapshot?.clusters)
                guard writer.write(Self.event("requests", id: last, data: data)) else { return }
                cursor = last
            } else if index.lastSequence > cursor {
                cursor = index.lastSequence
            }
            sent += 1
            if let rounds, sent >= rounds { return }
            if (now - lastHeartbeat) / 1_000_000 >= UInt64(Self.heartbeatMillis) {
                guard writer.write(": heartbeat\n\n") else { return }
                lastHeartbeat = now
            }
            guard writer.pause(millis: intervalMillis) else { return }
        }
    }

    /// One SSE event: `event:`, optional `id:`, and the data on one `data:` line (JSON has no raw
    /// newlines, so one line always suffices), then a blank line.
    static func event(_ name: String, id: UInt64?, data: String) -> String {
        var out = "event: \(name)\n"
        if let id { out += "id: \(id)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { out += "data: \(line)\n" }
        return out + "\n"
    }

    /// `{"requests":[{"seq":N,"request":{access-log object with attempt_log and timeline}}…]}`.
    static func requestsJSON(_ batch: [(sequence: UInt64, record: RequestRecord)], routes: [RuntimeSnapshot.Route]?,
                             clusters: [RuntimeSnapshot.Cluster]?) -> String {
        var json = ByteJSON()
        defer { json.release() }
        json.raw("{\"requests\":[")
        for (i, entry) in batch.enumerated() {
            if i > 0 { json.raw(",") }
            json.raw("{\"seq\":")
            json.rawDecimal(entry.sequence)
            json.raw(",\"request\":")
            AccessLogLine.write(entry.record, routes: routes, attempts: true, clusters: clusters, into: &json)
            json.raw("}")
        }
        json.raw("]}")
        return json.text
    }

    private func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// Wall-clock milliseconds for the event's `time_ms`.
func tg_wallMillis() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
}
