// AccessLogLine: one request record as a JSON access-log line.
import TracegateDataPlane
import TracegateResilience

/// Formats a `RequestRecord` as the access-log JSON object (also what `/debug/requests` returns):
/// time, trace_id, span_id, correlation_id, session_id, client_address, trusted, method, path,
/// route, status, upstream, attempts, duration_ms, upstream_ms, bytes_in, bytes_out, debug,
/// sampled, and error / user_agent / fault (`delay`, `abort`, `delay+abort`) with fault_delay_ms
/// when present.
enum AccessLogLine {
    static func write(_ r: RequestRecord, routes: [RuntimeSnapshot.Route]?, debug: DebugDetails.Detail? = nil,
                      attempts: Bool = false, clusters: [RuntimeSnapshot.Cluster]? = nil, into j: inout ByteJSON) {
        j.begin()
        j.time("time", wallNanos: r.wallStartNanos)
        j.hex("trace_id", trace: r.traceID)
        j.hex("span_id", span: r.serverSpanID)
        r.correlationID.withBytes { j.string("correlation_id", $0) }
        r.sessionID.withBytes { j.string("session_id", $0) }
        if r.sessionStart { j.bool("session_start", true) }
        if r.peerIPv6 { j.string("client_address", r.peer.host) } else { j.ipv4("client_address", r.peerV4) }
        j.bool("trusted", r.trusted)
        r.method.withBytes { j.string("method", $0) }
        r.path.withBytes { j.string("path", $0) }
        if let routes, r.routeIndex >= 0, r.routeIndex < routes.count {
            j.string("route", routes[r.routeIndex].name)
        } else {
            j.string("route", "")
        }
        j.int("status", r.status)
        let last = r.attemptLog.count > 0 ? r.attemptLog[r.attemptLog.count - 1] : nil
        if let last {
            if last.endpoint.isIPv6 { j.string("upstream", last.endpoint.description) } else { j.ipv4("upstream", last.endpoint.v4, port: last.endpoint.port) }
        } else {
            j.string("upstream", "")
        }
        j.int("attempts", r.attempts)
        j.millis("duration_ms", nanos: r.totalNanos)
        j.millis("upstream_ms", nanos: last.map { $0.headOffsetNanos > 0 ? $0.headOffsetNanos &- $0.startOffsetNanos : 0 } ?? 0)
        j.uint("bytes_in", r.bytesIn)
        j.uint("bytes_out", r.bytesOut)
        j.bool("debug", r.debug)
        j.bool("sampled", r.sampled)
        if r.error.utf8CodeUnitCount > 0 { j.string("error", r.error) }
        if !r.fault.isEmpty {
            j.string("fault", r.fault.label)
            if r.fault.delays { j.uint("fault_delay_ms", r.fault.delayMillis) }
        }
        if r.userAgent.count > 0 { r.userAgent.withBytes { j.string("user_agent", $0) } }
        if let debug {
            j.headers("request_headers", debug.requestHeaders)
            j.headers("response_headers", debug.responseHeaders)
        }
        if attempts {
            writeAttempts(r, clusters: clusters, into: &j)
            writeTimeline(r, into: &j)
        }
        j.end()
    }

    /// `attempt_log`: each upstream attempt with its CLIENT span id, endpoint, outcome and
    /// timeline (milliseconds from the request's start), for `/debug/requests`.
    static func writeAttempts(_ r: RequestRecord, clusters: [RuntimeSnapshot.Cluster]?, into j: inout ByteJSON) {
        j.array("attempt_log") { j in
            for i in 0..<r.attemptLog.count {
                let a = r.attemptLog[i]
                j.element(i)
                j.begin()
                j.hex("span_id", span: a.spanID)
                if let clusters, a.clusterIndex >= 0, Int(a.clusterIndex) < clusters.count {
                    j.string("cluster", clusters[Int(a.clusterIndex)].name)
                }
                j.string("upstream", a.endpoint.description)
                j.string("outcome", a.outcome == .response ? "response" : a.outcome.errorType)
                j.int("status", Int(a.status))
                j.bool("reused_connection", a.reusedConnection)
                j.millis("start_ms", nanos: a.startOffsetNanos)
                if a.connectOffsetNanos > 0 { j.millis("connect_ms", nanos: a.connectOffsetNanos) }
                if a.headOffsetNanos > 0 { j.millis("response_head_ms", nanos: a.headOffsetNanos) }
                j.millis("end_ms", nanos: a.endOffsetNanos)
                j.end()
            }
        }
    }

    /// `timeline`: the request's own points, in milliseconds from its exchange's start (the head
    /// complete): how long before it the connection was accepted, the route chosen, the mirror
    /// decision. Attempts carry their own points (`attempt_log`); `duration_ms` is the last byte.
    static func writeTimeline(_ r: RequestRecord, into j: inout ByteJSON) {
        j.raw(",\"timeline\":")
        j.begin()
        j.millis("connection_age_ms", nanos: r.connectionAgeNanos)
        j.millis("head_complete_ms", nanos: 0)
        if r.routeIndex >= 0 { j.millis("route_chosen_ms", nanos: r.routeChosenOffsetNanos) }
        j.string("mirror", r.mirrorOutcomeLabel)
        j.end()
    }
}
