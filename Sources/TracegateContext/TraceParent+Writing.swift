// TraceParent+Writing.swift — header values the proxy emits: upstream traceparent, traceresponse.

extension TraceParent {
    /// Appends the `traceparent` value for one upstream attempt (55 bytes, version `00`).
    ///
    /// Each attempt is its own CLIENT span, child of Tracegate's SERVER span: the proxy creates
    /// its id with `random.nextSpanID()` when the attempt starts and passes it as
    /// `parentSpanID`, so a retry carries a different parent id than the first try
    /// (Trace Context, “Mutating the traceparent Field”: update parent-id). `flags` are the decision's flags.
    public static func writeUpstream(
        traceID: TraceID,
        parentSpanID: SpanID,
        flags: TraceFlags,
        into sink: inout some ByteSink
    ) {
        appendValue(traceID: traceID, spanID: parentSpanID, flags: flags, to: &sink)
    }

    /// Appends a `traceresponse` value: `00-<trace-id>-<server-span-id>-<flags>` (55 bytes).
    ///
    /// Trace Context Level 2 drafts defined the `traceresponse` response header with this
    /// layout (the child id is the span of the server operation, Tracegate's SERVER span). The
    /// current editor's draft carries the same value as `server-timing: trace;desc=<value>`;
    /// see ``writeServerTimingTrace(traceID:serverSpanID:flags:into:)``.
    public static func writeTraceresponse(
        traceID: TraceID,
        serverSpanID: SpanID,
        flags: TraceFlags,
        into sink: inout some ByteSink
    ) {
        appendValue(traceID: traceID, spanID: serverSpanID, flags: flags, to: &sink)
    }

    /// Appends the `server-timing` metric `trace;desc=<traceresponse value>` (Trace Context
    /// editor's draft, "Trace Context Server Timing Metric Format").
    public static func writeServerTimingTrace(
        traceID: TraceID,
        serverSpanID: SpanID,
        flags: TraceFlags,
        into sink: inout some ByteSink
    ) {
        sink.append("trace;desc=")
        appendValue(traceID: traceID, spanID: serverSpanID, flags: flags, to: &sink)
    }

    private static func appendValue(
        traceID: TraceID,
        spanID: SpanID,
        flags: TraceFlags,
        to sink: inout some ByteSink
    ) {
        withUnsafeTemporaryAllocation(byteCount: encodedLength, alignment: 1) { buffer in
            let n = write(traceID: traceID, spanID: spanID, flags: flags, to: buffer.baseAddress!)
            sink.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
