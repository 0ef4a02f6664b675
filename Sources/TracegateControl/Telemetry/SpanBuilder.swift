// SpanBuilder: a finished request's record as its SERVER span and one CLIENT span per attempt.
import TracegateContext
import TracegateDataPlane
import TracegateTelemetry

/// Turns a `RequestRecord` into OpenTelemetry spans named and attributed per the stable HTTP
/// semantic conventions (server and client spans), plus Tracegate's own attributes.
///
/// The ids are the ones the worker already put on the wire: the SERVER span is the
/// `traceresponse` id, each CLIENT span's id is the parent-id of the `traceparent` that attempt
/// sent upstream, so the upstream's spans hang under the attempt that reached it.
struct SpanBuilder {
    var routes: [RuntimeSnapshot.Route]
    var clusters: [RuntimeSnapshot.Cluster]
    /// `http.route` per route index (the route's path prefix as a template, e.g. "/api/*").
    var routeTemplates: [String]

    init(snapshot: RuntimeSnapshot?) {
        routes = snapshot?.routes ?? []
        clusters = snapshot?.clusters ?? []
        routeTemplates = routes.map { route in
            let prefix = String(decoding: route.pathPrefix, as: UTF8.self)
            if prefix.isEmpty || prefix == "/" { return "/*" }
            return prefix + "*"
        }
    }

    /// The request's spans: SERVER first, then its attempts in order.
    func spans(for r: RequestRecord, reason: SpanExportPolicy.Reason) -> [SpanData] {
        var out: [SpanData] = []
        out.reserveCapacity(1 + r.attemptLog.count)
        let method = Self.method(r)
        let route = r.routeIndex >= 0 && r.routeIndex < routes.count ? r.routeIndex : -1
        let clusterName = route >= 0 && routes[route].clusterIndex < clusters.count ? clusters[routes[route].clusterIndex].name : nil
        let (path, _) = Self.splitTarget(r.path.string)

        var server = SpanData(
            traceID: r.traceID, spanID: r.serverSpanID, parentSpanID: r.parentSpanID,
            name: route >= 0 ? "\(method.name) \(routeTemplates[route])" : method.name,
            kind: .server, startUnixNanos: r.wallStartNanos, endUnixNanos: r.wallStartNanos &+ r.totalNanos)
        server.sampledFlag = r.sampled
        server.parentIsRemote = r.parentSpanID.isValid
        var a: [SpanAttribute] = []
        a.reserveCapacity(20)
        a.append(.init("http.request.method", .string(method.name)))
        if let original = method.original { a.append(.init("http.request.method_original", .string(original))) }
        a.append(.init("url.path", .string(path)))
        a.append(.init("url.scheme", .string("http")))
        if route >= 0 {
            a.append(.init("http.route", .string(routeTemplates[route])))
            a.append(.init("tracegate.route", .string(routes[route].name)))
        }
        if let clusterName { a.append(.init("tracegate.cluster", .string(clusterName))) }
        let (host, port) = Self.splitHost(r.host.string)
        if !host.isEmpty { a.append(.init("server.address", .string(host))) }
        a.append(.init("server.port", .int(Int64(port ?? Int(r.listenerPort)))))
        a.append(.init("client.address", .string(Self.clientAddress(r))))
        a.append(.init("network.protocol.version", .string(r.httpMinor == 0 ? "1.0" : "1.1")))
        if r.userAgent.count > 0 { a.append(.init("user_agent.original", .string(r.userAgent.string))) }
        if r.status > 0 { a.append(.init("http.response.status_code", .int(Int64(r.status)))) }
        if r.sessionID.count > 0 { a.append(.init("session.id", .string(r.sessionID.string))) }
        if r.correlationID.count > 0 { a.append(.init("tracegate.correlation_id", .string(r.correlationID.string))) }
        a.append(.init("tracegate.trusted", .bool(r.trusted)))
        a.append(.init("tracegate.debug", .bool(r.debug)))
        if r.attempts > 1 { a.append(.init("tracegate.attempts", .int(Int64(r.attempts)))) }
        if reason != .sampled { a.append(.init("tracegate.export_reason", .string(reason.rawValue))) }
        let ownError = r.error.utf8CodeUnitCount > 0 ? r.error.description : nil
        if let ownError {
            a.append(.init("error.type", .string(ownError)))
        } else if r.status >= 500 {
            a.append(.init("error.type", .string(String(r.status))))
        }
        server.attributes = a
        // Server spans: 5xx is an error; 4xx is the client's problem (semantic conventions).
        if r.status >= 500 || r.status == 0 {
            server.status = .error(message: ownError ?? (r.status == 0 ? "no response" : "HTTP \(r.status)"))
        }
        if r.hasLink {
            server.links = [SpanLinkData(traceID: r.linkTraceID, spanID: r.linkSpanID, sampledFlag: r.linkSampled,
                                         attributes: [.init("tracegate.link_reason", .string("untrusted_caller"))])]
        }
        if r.sessionStart {
            server.events = [SpanEvent(name: "session.start", timeUnixNanos: server.endUnixNanos, attributes: [])]
        }
        out.append(server)

        for i in 0..<r.attemptLog.count {
            out.append(client(r, attempt: r.attemptLog[i], index: i, method: method, path: path))
        }
        return out
    }

    private func client(_ r: RequestRecord, attempt: AttemptRecord, index: Int, method: (name: String, original: String?),
                        path: String) -> SpanData {
        let end = attempt.endOffsetNanos >= attempt.startOffsetNanos ? attempt.endOffsetNanos : attempt.startOffsetNanos
        var span = SpanData(
            traceID: r.traceID, spanID: attempt.spanID, parentSpanID: r.serverSpanID,
            name: method.name, kind: .client,
            startUnixNanos: r.wallStartNanos &+ attempt.startOffsetNanos, endUnixNanos: r.wallStartNanos &+ end)
        span.sampledFlag = r.sampled
        let host = attempt.endpoint.host
        let url = "http://\(attempt.endpoint.isIPv6 ? "[\(host)]" : host):\(attempt.endpoint.port)\(path)"
        var a: [SpanAttribute] = [
            .init("http.request.method", .string(method.name)),
            .init("server.address", .string(host)),
            .init("server.port", .int(Int64(attempt.endpoint.port))),
            .init("url.full", .string(url)),
            .init("network.protocol.version", .string("1.1")),
            .init("tracegate.connection_reused", .bool(attempt.reusedConnection)),
        ]
        if let original = method.original { a.append(.init("http.request.method_original", .string(original))) }
        if index > 0 { a.append(.init("http.request.resend_count", .int(Int64(index)))) }
        let cluster = Int(attempt.clusterIndex)
        if cluster >= 0 && cluster < clusters.count { a.append(.init("tracegate.cluster", .string(clusters[cluster].name))) }
        if attempt.status > 0 { a.append(.init("http.response.status_code", .int(Int64(attempt.status)))) }
        if attempt.headOffsetNanos > 0 {
            span.events.append(SpanEvent(name: "response_head", timeUnixNanos: r.wallStartNanos &+ attempt.headOffsetNanos, attributes: []))
        }
        // Client spans: any 4xx/5xx or transport failure is an error (semantic conventions).
        let errorType = attempt.outcome.errorType
        if !errorType.isEmpty {
            a.append(.init("error.type", .string(errorType)))
            span.status = .error(message: errorType)
        } else if attempt.status >= 400 {
            a.append(.init("error.type", .string(String(attempt.status))))
            span.status = .error(message: "HTTP \(attempt.status)")
        }
        span.attributes = a
        return span
    }

    /// The semantic-conventions method: a known method as is, anything else `_OTHER` with the
    /// original kept in `http.request.method_original`.
    static func method(_ r: RequestRecord) -> (name: String, original: String?) {
        let m = r.method.string
        switch m {
        case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH": return (m, nil)
        default: return ("_OTHER", m)
        }
    }

    /// Path and query of an origin-form or absolute-form target (the query is not recorded:
    /// it may carry secrets, and `url.query` is opt-in).
    static func splitTarget(_ target: String) -> (path: String, query: String?) {
        var t = Substring(target)
        if let scheme = t.range(of: "://") {
            t = t[scheme.upperBound...]
            t = t.firstIndex(of: "/").map { t[$0...] } ?? "/"
        }
        if let q = t.firstIndex(of: "?") { return (String(t[..<q]), String(t[t.index(after: q)...])) }
        return (String(t), nil)
    }

    /// Host and optional port of a Host value ("example.com:8080", "[::1]:80").
    static func splitHost(_ value: String) -> (String, Int?) {
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            let host = String(value[value.index(after: value.startIndex)..<close])
            let rest = value[value.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        if let colon = value.lastIndex(of: ":") {
            return (String(value[..<colon]), Int(value[value.index(after: colon)...]))
        }
        return (value, nil)
    }

    static func clientAddress(_ r: RequestRecord) -> String {
        var peer = PeerAddress()
        peer.isIPv6 = r.peerIPv6
        peer.v4 = r.peerV4
        peer.v6 = r.peerV6
        return peer.host
    }
}
