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
        let method = r.method.withBytes { m in Self.knownMethods.first { Self.equals($0, m) } }
        let route = r.routeIndex >= 0 && r.routeIndex < routes.count ? r.routeIndex : -1
        r.path.withBytes { target in
            writeClient(r, attempt: r.attemptLog[0], index: 0, method: method, path: Self.path(of: target),
                        shadowRoute: route, into: &out)
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
