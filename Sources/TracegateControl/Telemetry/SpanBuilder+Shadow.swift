// SpanBuilder+Shadow: a mirrored copy's CLIENT span.
import TracegateContext
import TracegateDataPlane
import TracegateTelemetry

extension SpanBuilder {
    /// Writes the CLIENT span of a shadow record (`RequestRecord.shadow`): the mirrored attempt,
    /// a child of the primary's SERVER span in the same trace, marked `tracegate.shadow=true`.
    ///
    /// Its span id is the parent-id of the `traceparent` the shadow cluster received, so staging's
    /// own spans hang under it, beside (not under) the primary's attempts. Its timing is on the
    /// primary's timeline (offsets from the primary's start), and it may end after the SERVER
    /// span: the client never waited for it.
    func writeShadow(_ r: RequestRecord, into out: inout SpanBatchWriter) {
        guard r.attemptLog.count > 0 else { return }
        let a = r.attemptLog[0]
        let method = r.method.withBytes { m in Self.knownMethods.first { Self.equals($0, m) } }
        let route = r.routeIndex >= 0 && r.routeIndex < routes.count ? r.routeIndex : -1
        let end = max(a.endOffsetNanos, a.startOffsetNanos)
        let header = SpanBatchWriter.Header(
            traceID: r.traceID, spanID: a.spanID, parentSpanID: r.serverSpanID, kind: .client,
            startUnixNanos: r.wallStartNanos &+ a.startOffsetNanos, endUnixNanos: r.wallStartNanos &+ end,
            sampled: r.sampled, parentIsRemote: false)
        r.path.withBytes { target in
            let path = Self.path(of: target)
            out.span(header) { s in
                s.name(method ?? "_OTHER")
                Self.method(method, r, into: &s)
                Self.address("server.address", a.endpoint, into: &s)
                s.attribute("server.port", int: Int64(a.endpoint.port))
                s.attribute("url.full", composing: { u in
                    u.append(a.tls ? "https://" as StaticString : "http://")
                    Self.appendAddress(a.endpoint, bracketed: true, into: &u)
                    u.append(byte: UInt8(ascii: ":"))
                    u.append(decimal: UInt64(a.endpoint.port))
                    u.append(path)
                })
                s.attribute("network.protocol.version", "1.1" as StaticString)
                s.attribute("tracegate.shadow", bool: true)
                s.attribute("tracegate.connection_reused", bool: a.reusedConnection)
                if route >= 0 { s.attribute("tracegate.route", routes[route].name) }
                let cluster = Int(a.clusterIndex)
                if cluster >= 0 && cluster < clusters.count { s.attribute("tracegate.cluster", clusters[cluster].name) }
                if a.status > 0 { s.attribute("http.response.status_code", int: Int64(a.status)) }
                if a.headOffsetNanos > 0 { s.event("response_head", timeUnixNanos: r.wallStartNanos &+ a.headOffsetNanos) }
                if let errorType = a.outcome.errorTypeStatic {
                    s.attribute("error.type", errorType)
                    s.error(errorType)
                } else if a.status >= 400 {
                    s.attribute("error.type", decimal: Int(a.status))
                    s.error(httpStatus: Int(a.status))
                }
            }
        }
    }
}

extension SpanPipeline.Sink {
    /// Called by the drain thread for a shadow record: its one span, only for a sampled trace
    /// (the rule every Tracegate span follows; failing shadows do not force an export, they are
    /// counted in `tracegate_mirror_responses_total`).
    mutating func consumeShadow(_ record: RequestRecord) {
        guard record.sampled, record.traceID.isValid else { return }
        builder.writeShadow(record, into: &writer)
        if writer.count >= chunkSpans { flush() }
    }
}
