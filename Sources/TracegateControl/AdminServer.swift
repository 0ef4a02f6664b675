// AdminServer: health, readiness, metrics and state on the admin listener.
import Foundation
import TracegateDataPlane

/// The admin listener's routes. It runs on its own threads on its own address (never a traffic
/// port), so a flood of traffic cannot starve health checks, and it reads workers' counters
/// without stopping them.
enum AdminServer {
    /// Reports the span exporter's figures for `/metrics` at scrape time; nil while none runs.
    typealias SpanStatsSource = @Sendable () -> SpanExportStats?

    static func start(at address: SocketAddress, state: ControlState, dataPlane: DataPlane, index: RequestIndex,
                      spans: @escaping SpanStatsSource = { nil }) throws(SocketError) -> SimpleHTTPServer {
        let streams = DashboardStream()
        let server = try SimpleHTTPServer(bind: address) { request in
            if request.path == "/debug/stream" && request.method == "GET" {
                return streams.response(request, state: state, dataPlane: dataPlane, index: index)
            }
            return route(request, state: state, dataPlane: dataPlane, index: index, spans: spans, streams: streams)
        }
        server.start(name: "tg-admin")
        return server
    }

    static func route(_ request: SimpleRequest, state: ControlState, dataPlane: DataPlane, index: RequestIndex,
                      spans: SpanStatsSource, streams: DashboardStream? = nil) -> SimpleResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return SimpleResponse(status: 405, body: "{\"error\":\"method_not_allowed\"}\n", headers: [("Allow", "GET, HEAD")])
        }
        if let page = DashboardPage.response(for: request.path) { return page }
        switch request.path {
        case "/healthz":
            return SimpleResponse(status: 200, body: "{\"status\":\"ok\"}\n")
        case "/readyz":
            if state.ready { return SimpleResponse(status: 200, body: "{\"status\":\"ready\"}\n") }
            return SimpleResponse(status: 503, body: "{\"status\":\"\(state.draining ? "draining" : "starting")\"}\n")
        case "/metrics":
            // The scraper's Accept header picks Prometheus text or OpenMetrics (with exemplars).
            let (contentType, body) = MetricsExposition.render(dataPlane: dataPlane, snapshot: state.snapshot, spans: spans(),
                                                               accept: request.header("Accept"), streams: streams)
            return SimpleResponse(status: 200, contentType: contentType, body: body)
        case "/debug/requests":
            let q = request.queryItems
            var query = RequestIndex.Query()
            query.correlationID = q["correlation_id"]
            query.traceID = q["trace_id"]
            query.sessionID = q["session_id"]
            query.status = q["status"]
            query.route = q["route"]
            if let limit = q["limit"].flatMap(Int.init) { query.limit = min(max(limit, 1), 10_000) }
            let routes = state.snapshot?.routes
            var json = ByteJSON()
            defer { json.release() }
            json.raw("{\"requests\":[")
            for (i, record) in index.search(query, routes: routes).enumerated() {
                if i > 0 { json.raw(",") }
                AccessLogLine.write(record, routes: routes, attempts: true, clusters: state.snapshot?.clusters, into: &json)
            }
            json.raw("]}\n")
            return SimpleResponse(status: 200, body: json.text)
        case "/debug/stream":
            // Only GET opens a stream (a HEAD would hold a stream slot for nothing).
            return SimpleResponse(status: 405, body: "{\"error\":\"method_not_allowed\"}\n", headers: [("Allow", "GET")])
        case "/debug/state":
            return SimpleResponse(status: 200, body: DebugState.render(state: state, dataPlane: dataPlane, streams: streams))
        default:
            return SimpleResponse(status: 404, body: "{\"error\":\"not_found\"}\n")
        }
    }
}
