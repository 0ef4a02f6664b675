// Worker+Edge: applying the edge decision (trace context, ids, sanitisation) to the heads.
import TracegateContext
import TracegateHTTP
import TracegateResilience

extension IOBuffer: ByteSink {}

extension Worker {
    /// Classifies every request field (edge-owned, stripped for an untrusted peer, kept), runs the
    /// pure edge decision, and marks what the rewritten head must not copy. Runs before the head
    /// is copied; `writeEdgeHeaders` appends the edge's own fields after it.
    func prepareEdge(_ fd: Int32, source: UnsafeRawBufferPointer) {
        let d = table[fd]
        let trusted = d.pointee.trusted
        let settings = snapshot.edge
        var input = EdgeInput(trusted: trusted, nowNanos: d.pointee.exchange.startWallNanos)
        var baggage = HeaderFields()
        for i in requestHead.headers.indices {
            let field = requestHead.headers[i]
            switch field.known {
            case .other, .traceparent, .tracestate, .baggage:
                break
            case .cookie:
                input.cookie.append(UnsafeRawBufferPointer(rebasing: source[field.value.start..<field.value.end]))
                continue
            default:
                continue  // well-known protocol fields are never edge-owned or stripped
            }
            let name = UnsafeRawBufferPointer(rebasing: source[field.name.start..<field.name.end])
            let value = UnsafeRawBufferPointer(rebasing: source[field.value.start..<field.value.end])
            switch settings.sanitizer.classify(name, trusted: trusted) {
            case .keep:
                continue
            case .strip(let label):
                requestHead.headers[i].drop = true
                counters.addStripped(label.rawValue)
            case .edge(let header):
                requestHead.headers[i].drop = true
                switch header {
                case .traceparent:
                    if input.traceparent == nil { input.traceparent = value } else { input.traceparentRepeated = true }
                case .tracestate: input.tracestate.append(value)
                case .baggage: baggage.append(value)
                case .debug: if input.debug == nil { input.debug = value }
                case .correlation: if input.correlationID == nil { input.correlationID = value }
                case .session: if input.sessionFromHeader == nil { input.sessionFromHeader = value }
                case .faultDelay: if faultDelayHeader == nil { faultDelayHeader = value }
                case .faultAbort: if faultAbortHeader == nil { faultAbortHeader = value }
                }
            }
        }
        let listener = min(d.pointee.listenerIndex, edges.count - 1)
        let decision = edges[listener].decide(input, random: &random)
        if decision.keepTracestate {
            for i in requestHead.headers.indices where requestHead.headers[i].known == .tracestate {
                requestHead.headers[i].drop = false
            }
        }
        countEdge(decision)
        noteFaultHeaders(authorised: decision.authorisesFaultHeaders(trusted: trusted))
        // Verbose headers exist only for the access log: nothing would ever take them with it off.
        if decision.debug.isHonoured && snapshot.accessLog { captureDebugRequest(fd, source: source) }
        d.pointee.exchange.edge = decision
        edgeInput = input
        edgeBaggage = baggage
    }

    /// Appends the edge's fields to the upstream head: traceparent (with this attempt's CLIENT span
    /// as parent), filtered baggage with session.id, the correlation id, the session id and, when
    /// honoured, the normalised debug flag. Records where the correlation id sits, so the response
    /// and error bodies reuse those bytes.
    func writeEdgeHeaders(_ fd: Int32, source: UnsafeRawBufferPointer) {
        let d = table[fd]
        guard let decision = d.pointee.exchange.edge else { return }
        let settings = snapshot.edge
        let clientSpan = random.nextSpanID()
        d.pointee.exchange.clientSpanID = clientSpan
        d.pointee.upstreamHead.append("traceparent: ")
        // "00-" + 32 hex trace id + "-": the parent-id follows.
        d.pointee.exchange.traceparentSpanOffset = d.pointee.upstreamHead.readableBytes + 3 + TraceID.hexLength + 1
        decision.writeUpstreamTraceparent(clientSpanID: clientSpan, into: &d.pointee.upstreamHead)
        d.pointee.upstreamHead.append("\r\n")

        settings.correlationHeader.withUnsafeBytes { d.pointee.upstreamHead.append($0) }
        d.pointee.upstreamHead.append(": ")
        let start = d.pointee.upstreamHead.readableBytes
        decision.appendCorrelationID(from: edgeInput, into: &d.pointee.upstreamHead)
        d.pointee.exchange.correlationRange = ByteRange(start: start, end: d.pointee.upstreamHead.readableBytes)
        d.pointee.upstreamHead.append("\r\n")

        decision.withSessionID(from: edgeInput) { session in
            if let session {
                settings.sessionHeader.withUnsafeBytes { d.pointee.upstreamHead.append($0) }
                d.pointee.upstreamHead.append(": ")
                let s = d.pointee.upstreamHead.readableBytes
                d.pointee.upstreamHead.append(session)
                d.pointee.exchange.sessionRange = ByteRange(start: s, end: d.pointee.upstreamHead.readableBytes)
                d.pointee.upstreamHead.append("\r\n")
            }
            let result = Baggage.filter(fields: edgeBaggage, rules: settings.baggage, trusted: d.pointee.trusted,
                                        prefix: "baggage: ", sessionID: session, into: &d.pointee.upstreamHead)
            if result.bytesWritten > 0 { d.pointee.upstreamHead.append("\r\n") }
            if result.dropped > 0 { counters.add(.baggageMembersDropped, UInt64(result.dropped)) }
        }
        if decision.debug.isHonoured {
            settings.debugHeader.withUnsafeBytes { d.pointee.upstreamHead.append($0) }
            d.pointee.upstreamHead.append(": 1\r\n")
        }
    }

    /// Marks the upstream's own correlation and traceresponse fields dropped: the edge answers
    /// with its own (and never leaks an internal traceresponse to an untrusted client).
    func prepareEdgeResponse(_ fd: Int32) {
        let d = table[fd]
        guard d.pointee.exchange.edge != nil else { return }
        let source = table[d.pointee.exchange.upstreamFD].pointee.inBuf.readable
        if d.pointee.exchange.edge?.debug.isHonoured == true { captureDebugResponse(fd, source: source) }
        let correlation = snapshot.edge.correlationHeader
        for i in responseHead.headers.indices where responseHead.headers[i].known == .other {
            let r = responseHead.headers[i].name
            let name = UnsafeRawBufferPointer(rebasing: source[r.start..<r.end])
            if ByteCompare.equalsCaseInsensitive(name, "traceresponse")
                || correlation.withUnsafeBytes({ ByteCompare.equalsCaseInsensitive(name, $0) }) {
                responseHead.headers[i].drop = true
            }
        }
    }

    /// Appends `x-tracegate-fault` (when a fault was injected), X-Correlation-ID, traceresponse
    /// (when the listener allows it) and the session cookie (when one was issued) to a response
    /// head being written for the client.
    func writeEdgeResponseHeaders(_ fd: Int32) {
        let d = table[fd]
        let fault = d.pointee.exchange.fault
        if !fault.isEmpty {
            // A delayed response says so too: a rehearsal is visible in every answer it shaped.
            d.pointee.outBuf.append("x-tracegate-fault: ")
            d.pointee.outBuf.append(fault.label)
            d.pointee.outBuf.append("\r\n")
        }
        let settings = snapshot.edge
        guard settings.enabled else { return }
        let id = correlationID(fd)
        if id.count > 0 {
            settings.correlationHeader.withUnsafeBytes { d.pointee.outBuf.append($0) }
            d.pointee.outBuf.append(": ")
            d.pointee.outBuf.append(id)
            d.pointee.outBuf.append("\r\n")
        }
        guard let decision = d.pointee.exchange.edge else { return }
        if decision.sendTraceresponse {
            d.pointee.outBuf.append("traceresponse: ")
            decision.writeTraceresponse(into: &d.pointee.outBuf)
            d.pointee.outBuf.append("\r\n")
        }
        if case .issueNew(let session) = decision.session {
            d.pointee.outBuf.append("Set-Cookie: ")
            settings.sessionCookie.withUnsafeBytes { name in
                SessionCookie.write(name: name, id: session, maxAgeSeconds: settings.sessionMaxAgeSeconds,
                                    secure: false, into: &d.pointee.outBuf)
            }
            d.pointee.outBuf.append("\r\n")
        }
    }

    /// The request's correlation id as bytes in the slot's upstream head. When the request never got
    /// as far as the edge decision (a malformed head), a fresh random id is generated there, so even
    /// a 400 can be found in the logs by its id.
    func correlationID(_ fd: Int32) -> UnsafeRawBufferPointer {
        let d = table[fd]
        if d.pointee.exchange.correlationRange.count == 0 {
            d.pointee.upstreamHead.clear()
            let trace = random.nextTraceID()
            d.pointee.upstreamHead.reserve(minimumWritable: 32)
            let n = trace.writeHex(to: d.pointee.upstreamHead.writable.baseAddress!)
            d.pointee.upstreamHead.moveWriterIndex(by: n)
            d.pointee.exchange.correlationRange = ByteRange(start: 0, end: n)
        }
        let r = d.pointee.exchange.correlationRange
        return UnsafeRawBufferPointer(rebasing: d.pointee.upstreamHead.readable[r.start..<r.end])
    }

    private func countEdge(_ decision: EdgeDecision) {
        switch decision.traceOrigin {
        case .continued: counters.add(.tracesContinued)
        case .restartedUntrusted: counters.add(.tracesRestartedUntrusted)
        default: counters.add(.tracesStarted)
        }
        switch decision.debug {
        case .absent: break
        case .honoured: counters.add(.debugHonoured)
        case .rateLimited: counters.add(.debugRateLimited)
        case .rejected: counters.add(.debugRejected)
        }
    }
}
