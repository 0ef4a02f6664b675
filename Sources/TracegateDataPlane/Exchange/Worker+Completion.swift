// Worker+Completion: ending exchanges — cleanly, with an error response, or by aborting.
import Glibc
import TracegateHTTP

extension Worker {
    /// The response is fully out: return the upstream, count, log, and either wait for the next
    /// request on this connection or close it.
    func finishExchange(_ fd: Int32) {
        let d = table[fd]
        let x = d.pointee.exchange
        let requestComplete = x.isRequestComplete
        if let u = attachedUpstream(d) {
            let reusable = x.upstreamKeepAlive && requestComplete && x.responseTracker.isComplete
                && !isUntilClose(x.responseFraming) && u.pointee.upstreamPhase == .active
            d.pointee.exchange.upstreamFD = -1
            releaseUpstream(u.pointee.fd, reusable: reusable)
        }
        endAttempt(fd, .response)
        extendLastAttempt(fd)
        countStatus(x.status)
        exchangeCompleted(fd)
        d.pointee.requestsServed += 1
        if d.pointee.isStream {
            finishStream(fd)
            return
        }
        if !requestComplete || x.closeAfterResponse || draining {
            beginClosing(fd)
            return
        }
        d.pointee.inBuf.moveReaderIndex(by: x.requestScanned)
        d.pointee.exchange = Exchange()
        d.pointee.upstreamHead.clear()
        d.pointee.phase = .idle
        arm(fd, .keepAliveIdle, after: snapshot.timeouts.keepAliveIdleNanos)
    }

    /// Answers the exchange with Tracegate's own error response, unless part of a response already
    /// went out, in which case the connection is aborted (the client sees a truncated message).
    func fail(_ fd: Int32, _ error: ProxyError) {
        let d = table[fd]
        endAttempt(fd, Worker.attemptOutcome(for: error.kind))
        if let u = attachedUpstream(d) {
            d.pointee.exchange.upstreamFD = -1
            abandonUpstream(u.pointee.fd)
        }
        if d.pointee.exchange.responseStarted {
            abortDownstream(fd)
            return
        }
        var close = d.pointee.exchange.closeAfterResponse || !d.pointee.exchange.isRequestComplete
        switch error.kind {
        case .badRequest, .bodyTooLarge, .headerReadTimeout, .draining, .tooManyConnections: close = true
        default: break
        }
        d.pointee.outBuf.clear()
        let correlation = correlationID(fd)
        let status = snapshot.edge.correlationHeader.withUnsafeBytes { name in
            ErrorResponder.write(error, correlationHeader: name, correlationID: correlation,
                                 headOnly: d.pointee.exchange.method == .head, close: close,
                                 fault: d.pointee.exchange.fault.label, into: &d.pointee.outBuf)
        }
        d.pointee.exchange.status = status
        counters.addError(ErrorResponder.mapping(for: error).code)
        d.pointee.exchange.closeAfterResponse = close
        d.pointee.exchange.errorCode = error
        d.pointee.exchange.responseHeadParsed = true
        d.pointee.exchange.responseTracker = BodyTracker(framing: .none)
        d.pointee.exchange.responseScanned = 0
        d.pointee.exchange.upstreamFD = -1
        if close {
            // Nothing more of this request will be read: pretend it is complete so the pump only writes.
            d.pointee.exchange.requestTracker = BodyTracker(framing: .none)
            d.pointee.exchange.requestSent = d.pointee.exchange.requestScanned
        }
        d.pointee.phase = .proxying
        pump(fd)
    }

    /// A failed upstream attempt before any response byte: a stale pooled connection is retried
    /// on a fresh one when the whole request is still buffered. The reconnect is outside the
    /// route's retry policy (the server closing an idle connection is a race, not a failure, so
    /// the breaker and the detector do not see it either) but it takes a token from the
    /// cluster's retry budget, so an upstream that resets every reused connection still gets at
    /// most its share of extra requests. Anything else goes to `attemptFailed`.
    func upstreamFailed(_ fd: Int32, _ kind: ProxyError.Kind) {
        let d = table[fd]
        guard let u = attachedUpstream(d) else { attemptFailed(fd, kind); return }
        let x = d.pointee.exchange
        let wasPooled = u.pointee.exchangesServed > 0
        d.pointee.exchange.upstreamFD = -1
        abandonUpstream(u.pointee.fd)
        if ProxyError(kind: kind).retryable && wasPooled && x.replayable && !x.responseStarted && x.attempts < 3
            && !x.responseHeadParsed && withdrawReconnectToken(d) {
            counters.add(.upstreamRetriesStale)
            endAttempt(fd, Worker.attemptOutcome(for: kind), feedGuards: false)
            d.pointee.exchange.upstreamHeadSent = 0
            d.pointee.exchange.requestSent = x.headLength
            d.pointee.outBuf.clear()
            attachUpstream(fd)
            return
        }
        counters.add(.upstreamResets)
        attemptFailed(fd, kind)
    }

    /// Closes the downstream at once (and its upstream): used when a response cannot be completed.
    func abortDownstream(_ fd: Int32) {
        let d = table[fd]
        if d.pointee.phase == .proxying {
            endAttempt(fd, .aborted)
            countStatus(d.pointee.exchange.status == 0 ? 502 : d.pointee.exchange.status)
            exchangeCompleted(fd)
        }
        closeDownstream(fd)
    }

    /// Starts a graceful close: flush what is queued, send FIN, linger briefly reading and
    /// discarding, so the client receives the last response instead of a reset.
    func beginClosing(_ fd: Int32) {
        let d = table[fd]
        d.pointee.phase = .closing
        arm(fd, .closingLinger, after: 5_000_000_000)
        flushClosing(fd)
    }

    func flushClosing(_ fd: Int32) {
        let d = table[fd]
        while d.pointee.outBuf.readableBytes > 0 {
            guard d.pointee.canWrite else { return }
            switch transportWrite(d, d.pointee.outBuf.readable, UnsafeRawBufferPointer(start: nil, count: 0)) {
            case .bytes(let n):
                d.pointee.outBuf.moveReaderIndex(by: n)
                counters.add(.bytesOut, UInt64(n))
            case .wouldBlock:
                d.pointee.canWrite = false
                return
            case .eof, .error:
                closeDownstream(fd)
                return
            }
        }
        if !d.pointee.shutdownSent {
            d.pointee.shutdownSent = true
            shutdown(fd, Int32(SHUT_WR))
            arm(fd, .closingLinger, after: 2_000_000_000)
        }
        // Lingering: discard whatever the client still sends until it closes.
        var discarded = 0
        while d.pointee.canRead && discarded < 1 << 20 {
            d.pointee.inBuf.clear()
            d.pointee.inBuf.reserve(minimumWritable: Worker.readChunk)
            switch transportRead(d, into: d.pointee.inBuf.writable) {
            case .bytes(let n): discarded += n
            case .wouldBlock: d.pointee.canRead = false
            case .eof, .error:
                closeDownstream(fd)
                return
            }
        }
    }

    /// Frees a downstream slot and closes its socket (and abandons any upstream still attached).
    func closeDownstream(_ fd: Int32) {
        let d = table[fd]
        guard d.pointee.kind == .downstream else { return }
        releaseGuards(d)
        if d.pointee.exchange.mirror.phase != .none { mirrorPrimaryFinished(fd) }  // ended without completing
        if let u = attachedUpstream(d) {
            d.pointee.exchange.upstreamFD = -1
            abandonUpstream(u.pointee.fd)
        }
        if d.pointee.isStream {
            releaseStreamSlot(fd)
            return
        }
        if d.pointee.session != nil { closeH2Streams(fd) }
        if d.pointee.tls != nil { releaseTLS(d) }
        d.pointee.kind = .free
        d.pointee.generation &+= 1
        d.pointee.deadline = 0
        shrinkBuffers(d)
        close(fd)
        if !pendingDebug.isEmpty { pendingDebug.removeValue(forKey: fd) }
        downstreamCount -= 1
        counters.subtract(.connectionsActive)
    }

    func countStatus(_ status: Int) {
        switch status {
        case ..<200: counters.add(.responses1xx)
        case 200..<300: counters.add(.responses2xx)
        case 300..<400: counters.add(.responses3xx)
        case 400..<500: counters.add(.responses4xx)
        default: counters.add(.responses5xx)
        }
    }
}
