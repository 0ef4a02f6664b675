// Worker+Record: filling and publishing the request record of each exchange.
import TracegateContext
import TracegateHTTP
import TracegateResilience

extension Worker {
    /// Copies the facts that live in the request head (method, path, host, user agent) into the
    /// exchange's record while the head's bytes are still in the buffer.
    func recordRequestHead(_ fd: Int32, host: UnsafeRawBufferPointer) {
        let d = table[fd]
        d.pointee.record.userAgent = InlineBytes()
        let source = d.pointee.inBuf.readable
        let m = requestHead.methodRange
        d.pointee.record.method.set(UnsafeRawBufferPointer(rebasing: source[m.start..<m.end]))
        let t = requestHead.target
        d.pointee.record.path.set(UnsafeRawBufferPointer(rebasing: source[t.start..<t.end]))
        if let ua = requestHead.firstIndex(of: .userAgent) {
            let v = requestHead.headers[ua].value
            d.pointee.record.userAgent.set(UnsafeRawBufferPointer(rebasing: source[v.start..<v.end]))
        }
        d.pointee.record.host.set(host)
        d.pointee.record.httpMinor = requestHead.version == .http1_0 ? 0 : 1
        d.pointee.record.httpMajor = d.pointee.isStream ? 2 : 1
        let listener = d.pointee.listenerIndex
        d.pointee.record.listenerPort = listener < listenerPorts.count ? listenerPorts[listener] : 0
        d.pointee.record.attemptLog.removeAll()
        // Slots start as zero pages, where an optional enum reads as its first case: set both.
        d.pointee.record.retryGiveUp = 0
    }

    /// Publishes the finished exchange's record to the control side (dropped and counted when the
    /// ring is full: the access log never slows traffic).
    func exchangeCompleted(_ fd: Int32) {
        let d = table[fd]
        releaseGuards(d)
        let x = d.pointee.exchange
        let correlation = correlationID(fd)
        let sessionRange = x.sessionRange
        let session = sessionRange.count > 0
            ? UnsafeRawBufferPointer(rebasing: d.pointee.upstreamHead.readable[sessionRange.start..<sessionRange.end])
            : UnsafeRawBufferPointer(start: nil, count: 0)
        let listener = d.pointee.listenerIndex
        let peer = d.pointee.peer
        let trusted = d.pointee.trusted
        let version = snapshot.version
        let now = self.now
        let pushed = ring.push { r in
            r = d.pointee.record
            r.wallStartNanos = x.startWallNanos
            r.totalNanos = now &- x.startNanos
            if let e = x.edge {
                r.traceID = e.traceID
                r.serverSpanID = e.serverSpanID
                r.parentSpanID = e.callerParentID ?? .invalid
                r.sampled = e.isSampled
                r.traceOrigin = e.traceOrigin.rawValue
                r.debug = e.debug.isHonoured
                if case .issueNew = e.session { r.sessionStart = true } else { r.sessionStart = false }
                if let link = e.link {
                    r.hasLink = true
                    r.linkTraceID = link.traceID
                    r.linkSpanID = link.spanID
                    r.linkSampled = link.flags.contains(.sampled)
                } else {
                    r.hasLink = false
                }
            } else {
                // No edge decision (context disabled, or a head rejected before it ran).
                r.traceID = TraceID(hi: 0, lo: 0)
                r.serverSpanID = .invalid
                r.parentSpanID = .invalid
                r.sampled = false
                r.traceOrigin = 0
                r.debug = false
                r.sessionStart = false
                r.hasLink = false
            }
            r.status = x.status
            r.attempts = x.attempts
            r.trusted = trusted
            r.routeIndex = x.routeIndex
            r.connectionAgeNanos = d.pointee.acceptedNanos > 0 && d.pointee.acceptedNanos <= x.startNanos ? x.startNanos &- d.pointee.acceptedNanos : 0
            r.routeChosenOffsetNanos = x.routeChosenNanos >= x.startNanos ? x.routeChosenNanos &- x.startNanos : 0
            r.mirrorOutcome = x.mirrorOutcome
            r.snapshotVersion = version
            r.listenerIndex = listener
            r.peerIPv6 = peer.isIPv6
            r.peerV4 = peer.v4
            r.peerV6 = peer.v6
            r.peerPort = peer.port
            r.bytesIn = UInt64(x.headLength) &+ x.requestBodyBytes
            r.bytesOut = x.responseBytes
            r.error = x.errorCode.map { ErrorResponder.mapping(for: $0).code } ?? ""
            r.correlationID.set(correlation)
            r.sessionID.set(session)
            r.fault = x.fault
            if x.faultHeld {
                // Ended while held (the client left): the abort was never answered.
                r.fault.flags &= ~(FaultPlan.Flag.abort | FaultPlan.Flag.abortFromHeader)
                r.fault.abortStatus = 0
            }
        }
        if !pushed { counters.add(.accessLogDropped) }
        if x.mirror.phase != .none { mirrorPrimaryFinished(fd) }
        countRouteMetrics(x, totalNanos: now &- x.startNanos)
        d.pointee.record.attemptLog.removeAll()
        if let e = x.edge, e.debug.isHonoured { publishDebug(fd, spanID: e.serverSpanID.rawValue) }
    }
}
