// SpanBuilder: a finished request's record as its SERVER span and one CLIENT span per attempt.
import TracegateContext
import TracegateDataPlane
import TracegateResilience
import TracegateTelemetry

/// Writes a `RequestRecord` as OpenTelemetry spans named and attributed per the stable HTTP
/// semantic conventions (server and client spans), plus Tracegate's own attributes, straight into
/// the OTLP wire format (`SpanBatchWriter`): values go from the record's inline bytes to the
/// buffer, so a request's spans cost no per-attribute allocation on the drain thread.
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
            return prefix.isEmpty || prefix == "/" ? "/*" : prefix + "*"
        }
    }

    /// Methods the semantic conventions name as they are; anything else is `_OTHER`.
    static let knownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// Writes the request's spans: SERVER first, then its attempts in order.
    func write(_ r: RequestRecord, reason: SpanExportPolicy.Reason, into out: inout SpanBatchWriter) {
        let method = r.method.withBytes { m in Self.knownMethods.first { Self.equals($0, m) } }
        let route = r.routeIndex >= 0 && r.routeIndex < routes.count ? r.routeIndex : -1
        let cluster = route >= 0 && routes[route].clusterIndex < clusters.count ? routes[route].clusterIndex : -1
        let header = SpanBatchWriter.Header(
            traceID: r.traceID, spanID: r.serverSpanID, parentSpanID: r.parentSpanID, kind: .server,
            startUnixNanos: r.wallStartNanos, endUnixNanos: r.wallStartNanos &+ r.totalNanos,
            sampled: r.sampled, parentIsRemote: r.parentSpanID.isValid)
        r.path.withBytes { target in
            let path = Self.path(of: target)
            out.span(header) { s in
                s.name(method ?? "_OTHER", route >= 0 ? routeTemplates[route] : nil)
                Self.method(method, r, into: &s)
                s.attribute("url.path", path)
                s.attribute("url.scheme", "http" as StaticString)
                if route >= 0 {
                    s.attribute("http.route", routeTemplates[route])
                    s.attribute("tracegate.route", routes[route].name)
                }
                if cluster >= 0 { s.attribute("tracegate.cluster", clusters[cluster].name) }
                r.host.withBytes { hostField in
                    let (host, port) = Self.splitHost(hostField)
                    if host.count > 0 { s.attribute("server.address", host) }
                    s.attribute("server.port", int: Int64(port ?? Int(r.listenerPort)))
                }
                Self.address("client.address", r.peer, into: &s)
                s.attribute("network.protocol.version",
                            r.httpMajor == 2 ? "2" as StaticString : r.httpMinor == 0 ? "1.0" as StaticString : "1.1")
                if r.userAgent.count > 0 { r.userAgent.withBytes { s.attribute("user_agent.original", $0) } }
                if r.status > 0 { s.attribute("http.response.status_code", int: Int64(r.status)) }
                if r.sessionID.count > 0 { r.sessionID.withBytes { s.attribute("session.id", $0) } }
                if r.correlationID.count > 0 { r.correlationID.withBytes { s.attribute("tracegate.correlation_id", $0) } }
                s.attribute("tracegate.trusted", bool: r.trusted)
                s.attribute("tracegate.debug", bool: r.debug)
                if r.attempts > 1 { s.attribute("tracegate.attempts", int: Int64(r.attempts)) }
                if reason != .sampled { s.attribute("tracegate.export_reason", reason.rawValue) }
                if !r.fault.isEmpty {
                    // A rehearsal, not an outage: injected on purpose (routes[].fault or a fault header).
                    s.attribute("tracegate.fault", r.fault.label)
                    if r.fault.delays { s.attribute("tracegate.fault.delay_ms", int: Int64(r.fault.delayMillis)) }
                    if r.fault.aborts { s.attribute("tracegate.fault.abort_status", int: Int64(r.fault.abortStatus)) }
                }
                let ownError = r.error.utf8CodeUnitCount > 0
                if ownError {
                    s.attribute("error.type", r.error)
                } else if r.status >= 500 {
                    s.attribute("error.type", decimal: r.status)
                }
                if r.sessionStart { s.event("session.start", timeUnixNanos: header.endUnixNanos) }
                // A failure that matched retry_on but went to the client as it was: say why.
                let giveUp = Int(r.retryGiveUp) - 1
                if giveUp >= 0 && giveUp < ResilienceMetrics.giveUpLabels.count {
                    s.event("tracegate.retry_given_up", timeUnixNanos: header.endUnixNanos, key: "tracegate.retry.reason",
                            value: ResilienceMetrics.giveUpLabels[giveUp])
                }
                if r.hasLink {
                    s.link(traceID: r.linkTraceID, spanID: r.linkSpanID, sampled: r.linkSampled,
                           reasonKey: "tracegate.link_reason", reason: "untrusted_caller")
                }
                // Server spans: 5xx is an error; 4xx is the client's problem (semantic conventions).
                if ownError && (r.status >= 500 || r.status == 0) {
                    s.error(r.error)
                } else if r.status >= 500 {
                    s.error(httpStatus: r.status)
                } else if r.status == 0 {
                    s.error("no response")
                }
            }
            for i in 0..<r.attemptLog.count {
                writeClient(r, attempt: r.attemptLog[i], index: i, method: method, path: path, into: &out)
            }
        }
    }

    /// One CLIENT span: an attempt of the request, or (`shadowRoute` set, the route's index or -1)
    /// the mirrored copy of it, marked `tracegate.shadow`.
    func writeClient(_ r: RequestRecord, attempt a: AttemptRecord, index: Int, method: String?,
                     path: UnsafeRawBufferPointer, shadowRoute: Int? = nil, into out: inout SpanBatchWriter) {
        let end = max(a.endOffsetNanos, a.startOffsetNanos)
        let header = SpanBatchWriter.Header(
            traceID: r.traceID, spanID: a.spanID, parentSpanID: r.serverSpanID, kind: .client,
            startUnixNanos: r.wallStartNanos &+ a.startOffsetNanos, endUnixNanos: r.wallStartNanos &+ end,
            sampled: r.sampled, parentIsRemote: false)
        out.span(header) { s in
            s.name(method ?? "_OTHER")
            Self.method(method, r, into: &s)
            Self.address("server.address", a.endpoint, into: &s)
            s.attribute("server.port", int: Int64(a.endpoint.port))
            s.attribute("url.full") { u in
                u.append(a.tls ? "https://" as StaticString : "http://")
                Self.appendAddress(a.endpoint, bracketed: true, into: &u)
                u.append(byte: UInt8(ascii: ":"))
                u.append(decimal: UInt64(a.endpoint.port))
                u.append(path)
            }
            s.attribute("network.protocol.version", a.http2 ? "2" as StaticString : "1.1")
            if let shadowRoute {
                s.attribute("tracegate.shadow", bool: true)
                if shadowRoute >= 0 { s.attribute("tracegate.route", routes[shadowRoute].name) }
            }
            s.attribute("tracegate.connection_reused", bool: a.reusedConnection)
            if index > 0 { s.attribute("http.request.resend_count", int: Int64(index)) }
            let cluster = Int(a.clusterIndex)
            if cluster >= 0 && cluster < clusters.count { s.attribute("tracegate.cluster", clusters[cluster].name) }
            if a.status > 0 { s.attribute("http.response.status_code", int: Int64(a.status)) }
            if a.headOffsetNanos > 0 { s.event("response_head", timeUnixNanos: r.wallStartNanos &+ a.headOffsetNanos) }
            // Client spans: any 4xx/5xx or transport failure is an error (semantic conventions).
            if let errorType = a.outcome.errorTypeStatic {
                s.attribute("error.type", errorType)
                s.error(errorType)
            } else if a.status >= 400 {
                s.attribute("error.type", decimal: Int(a.status))
                s.error(httpStatus: Int(a.status))
            }
        }
    }

    /// `http.request.method`, and the original when it is not a known method.
    static func method(_ known: String?, _ r: RequestRecord, into s: inout SpanFields) {
        if let known {
            s.attribute("http.request.method", known)
        } else {
            s.attribute("http.request.method", "_OTHER" as StaticString)
            r.method.withBytes { s.attribute("http.request.method_original", $0) }
        }
    }

    static func address(_ key: StaticString, _ peer: PeerAddress, into s: inout SpanFields) {
        s.attribute(key) { u in appendAddress(peer, bracketed: false, into: &u) }
    }

    /// Dotted quad written digit by digit (no String); IPv6 through the C formatter.
    static func appendAddress(_ peer: PeerAddress, bracketed: Bool, into u: inout StringComposer) {
        if peer.isIPv6 {
            if bracketed { u.append(byte: UInt8(ascii: "[")) }
            u.append(peer.host)
            if bracketed { u.append(byte: UInt8(ascii: "]")) }
            return
        }
        for shift in [24, 16, 8, 0] as [UInt32] {
            u.append(decimal: UInt64((peer.v4 >> shift) & 0xFF))
            if shift > 0 { u.append(byte: UInt8(ascii: ".")) }
        }
    }

    /// The path of an origin-form or absolute-form target, without the query (it may carry
    /// secrets, and `url.query` is opt-in).
    static func path(of target: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        // Absolute form: skip "scheme://authority".
        if let colon = target.firstIndex(of: UInt8(ascii: ":")), colon + 2 < target.count,
            target[colon + 1] == UInt8(ascii: "/"), target[colon + 2] == UInt8(ascii: "/"),
            !target[..<colon].contains(UInt8(ascii: "/")) {
            start = target[(colon + 3)...].firstIndex(of: UInt8(ascii: "/")) ?? target.count
            if start == target.count { return TargetRoot.slash }
        }
        let end = target[start...].firstIndex(of: UInt8(ascii: "?")) ?? target.count
        return UnsafeRawBufferPointer(rebasing: target[start..<end])
    }

    /// Host and optional port of a Host value ("example.com:8080", "[::1]:80").
    static func splitHost(_ value: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, Int?) {
        if value.first == UInt8(ascii: "["), let close = value.firstIndex(of: UInt8(ascii: "]")) {
            let host = UnsafeRawBufferPointer(rebasing: value[1..<close])
            return (host, close + 1 < value.count && value[close + 1] == UInt8(ascii: ":") ? decimal(value[(close + 2)...]) : nil)
        }
        if let colon = value.lastIndex(of: UInt8(ascii: ":")) {
            return (UnsafeRawBufferPointer(rebasing: value[..<colon]), decimal(value[(colon + 1)...]))
        }
        return (value, nil)
    }

    static func decimal(_ digits: Slice<UnsafeRawBufferPointer>) -> Int? {
        guard !digits.isEmpty, digits.count <= 5 else { return nil }
        var n = 0
        for d in digits {
            guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(d - UInt8(ascii: "0"))
        }
        return n
    }

    static func equals(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        text.utf8.count == bytes.count && text.utf8.elementsEqual(bytes)
    }
}

/// "/" in static memory, for absolute-form targets without a path.
enum TargetRoot {
    nonisolated(unsafe) static let slash = UnsafeRawBufferPointer(start: ("/" as StaticString).utf8Start, count: 1)
}
