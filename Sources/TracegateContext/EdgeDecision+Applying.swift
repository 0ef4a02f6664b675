// EdgeDecision+Applying.swift — helpers that turn a decision into header bytes.

extension EdgeDecision {
    /// Whether an incoming line of an edge-owned header is forwarded as is.
    ///
    /// - `traceparent`: never — each attempt gets its own (``writeUpstreamTraceparent(clientSpanID:into:)``).
    /// - `tracestate`: only when ``keepTracestate``.
    /// - `baggage`: never — the filtered list is written instead (``Baggage``).
    /// - debug header: never — when ``debug`` is honoured the proxy writes its own normalised
    ///   debug header (for example `1`), so tokens never travel further and a rate-limited or
    ///   rejected request reaches upstream without one.
    /// - correlation headers: when the incoming id is ``CorrelationSource/kept``.
    /// - session header: never — the proxy writes the session id it settled on
    ///   (``SessionSource``), whatever its origin.
    /// - fault headers: never — they are instructions to the edge, carried out here or not at all.
    public func forwardsIncoming(_ header: EdgeHeader) -> Bool {
        switch header {
        case .traceparent, .baggage, .debug, .session, .faultDelay, .faultAbort: return false
        case .tracestate: return keepTracestate
        case .correlation: return correlation == .kept
        }
    }

    /// Appends the `traceparent` value for an upstream attempt whose CLIENT span is
    /// `clientSpanID` (create it per attempt with `random.nextSpanID()`).
    public func writeUpstreamTraceparent(clientSpanID: SpanID, into sink: inout some ByteSink) {
        TraceParent.writeUpstream(traceID: traceID, parentSpanID: clientSpanID, flags: flags, into: &sink)
    }

    /// Appends the `traceresponse` value (trace id, SERVER span id, flags).
    public func writeTraceresponse(into sink: inout some ByteSink) {
        TraceParent.writeTraceresponse(traceID: traceID, serverSpanID: serverSpanID, flags: flags, into: &sink)
    }

    /// Appends the correlation id: the incoming bytes when kept, the generated id otherwise.
    public func appendCorrelationID(from input: EdgeInput, into sink: inout some ByteSink) {
        switch correlation {
        case .kept:
            if let incoming = input.correlationID { sink.append(FieldValue.trimmingOWS(incoming)) }
        case .generated(let id, _):
            id.append(to: &sink)
        }
    }

    /// Calls `body` with the session id bytes (from the input, or the new id in a stack
    /// buffer); `nil` when there is no session.
    public func withSessionID<R>(from input: EdgeInput, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        switch session {
        case .none:
            return try body(nil)
        case .fromHeader:
            return try body(input.sessionFromHeader.map(FieldValue.trimmingOWS))
        case .fromCookie(let field, let range):
            guard field < input.cookie.count else { return try body(nil) }
            return try body(UnsafeRawBufferPointer(rebasing: input.cookie[field][range]))
        case .issueNew(let id):
            return try id.withHexBytes { try body($0) }
        }
    }
}
