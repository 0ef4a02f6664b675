// RequestSummary: one finished request, decoded for logs and /debug/requests.
import TracegateContext
import TracegateDataPlane

/// A finished request in control-side form: ids as hex, addresses as text, durations in ms.
struct RequestSummary: Sendable {
    var time: String
    var traceID: String
    var spanID: String
    var clientSpanID: String
    var correlationID: String
    var sessionID: String
    var client: String
    var trusted: Bool
    var method: String
    var path: String
    var route: String
    var status: Int
    var upstream: String
    var attempts: Int
    var totalMs: Double
    var upstreamMs: Double
    var bytesIn: UInt64
    var bytesOut: UInt64
    var debug: Bool
    var sampled: Bool
    var error: String
    var userAgent: String
    /// The access-log line: one JSON object.
    var json: String

    init(_ r: RequestRecord, snapshot: RuntimeSnapshot?) {
        time = JSONLogHandler.timestamp(nanos: r.wallStartNanos)
        traceID = r.traceID.isValid ? r.traceID.description : ""
        spanID = r.serverSpanID.isValid ? r.serverSpanID.description : ""
        clientSpanID = r.clientSpanID.isValid ? r.clientSpanID.description : ""
        correlationID = r.correlationID.string
        sessionID = r.sessionID.string
        client = RequestSummary.address(r)
        trusted = r.trusted
        method = r.method.string
        path = r.path.string
        if let snapshot, r.routeIndex >= 0, r.routeIndex < snapshot.routes.count {
            route = snapshot.routes[r.routeIndex].name
        } else {
            route = ""
        }
        status = r.status
        upstream = r.hasEndpoint ? r.endpoint.description : ""
        attempts = r.attempts
        totalMs = Double(r.totalNanos) / 1e6
        upstreamMs = Double(r.upstreamHeadNanos) / 1e6
        bytesIn = r.bytesIn
        bytesOut = r.bytesOut
        debug = r.debug
        sampled = r.sampled
        error = r.error.description
        userAgent = r.userAgent.string

        var j = JSONText()
        j.add("time", time)
        j.add("trace_id", traceID)
        j.add("span_id", spanID)
        j.add("correlation_id", correlationID)
        j.add("session_id", sessionID)
        j.add("client_address", client)
        j.add("trusted", trusted)
        j.add("method", method)
        j.add("path", path)
        j.add("route", route)
        j.add("status", status)
        j.add("upstream", upstream)
        j.add("attempts", attempts)
        j.add("duration_ms", (totalMs * 1000).rounded() / 1000)
        j.add("upstream_ms", (upstreamMs * 1000).rounded() / 1000)
        j.add("bytes_in", bytesIn)
        j.add("bytes_out", bytesOut)
        j.add("debug", debug)
        j.add("sampled", sampled)
        if !error.isEmpty { j.add("error", error) }
        if !userAgent.isEmpty { j.add("user_agent", userAgent) }
        json = j.finish()
    }

    static func address(_ r: RequestRecord) -> String {
        if !r.peerIPv6 {
            let a = r.peerV4
            return "\(a >> 24).\((a >> 16) & 0xFF).\((a >> 8) & 0xFF).\(a & 0xFF)"
        }
        var groups: [String] = []
        for half in [r.peerV6.0, r.peerV6.1] {
            for k in stride(from: 48, through: 0, by: -16) { groups.append(String((half >> UInt64(k)) & 0xFFFF, radix: 16)) }
        }
        return groups.joined(separator: ":")
    }
}
