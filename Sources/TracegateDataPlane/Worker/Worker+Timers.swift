// Worker+Timers: what each kind of deadline does when it passes.
import Glibc

extension Worker {
    func timerFired(_ fd: Int32, _ kind: Connection.TimerKind) {
        let c = table[fd]
        switch kind {
        case .none:
            return
        case .headerRead:
            guard c.pointee.kind == .downstream else { return }
            if c.pointee.phase == .handshake {
                counters.add(.tlsHandshakeFailures)
                closeDownstream(fd)  // the handshake did not finish within timeouts.header_read
            } else if c.pointee.phase == .readingHead || (c.pointee.phase == .idle && c.pointee.requestsServed == 0 && c.pointee.inBuf.readableBytes > 0) {
                respondBeforeExchange(fd, ProxyError(kind: .headerReadTimeout))
            } else if c.pointee.phase == .idle {
                closeDownstream(fd)  // connected and said nothing: close quietly, as nginx does
            }
        case .keepAliveIdle where c.pointee.kind == .downstream && c.pointee.session != nil:
            // An idle HTTP/2 connection says goodbye with GOAWAY (RFC 9113 §6.8) before closing.
            let link = c.pointee.link
            if link.streamSlots.isEmpty {
                _ = link.session.goAway(code: .noError)
                flushH2(fd)
                if c.pointee.kind == .downstream { closeDownstream(fd) }
            }
        case .keepAliveIdle, .closingLinger, .tunnelIdle:
            if c.pointee.kind == .downstream { closeDownstream(fd) }
        case .poolIdle:
            if c.pointee.kind == .upstream && c.pointee.upstreamPhase == .idle { closeUpstream(fd) }
        case .connect where c.pointee.kind == .upstream && c.pointee.session != nil:
            counters.add(.upstreamConnectTimeouts)
            closeUpstream(fd, failing: .upstreamConnectTimeout)
        case .connect, .response:
            guard c.pointee.kind == .upstream else { return }
            let dfd = c.pointee.downstreamFD
            guard downstreamIsCurrent(dfd, for: c) else { abandonUpstream(fd); return }
            if kind == .connect {
                counters.add(.upstreamConnectTimeouts)
                attemptFailed(dfd, .upstreamConnectTimeout)
            } else if table[dfd].pointee.exchange.responseHeadParsed {
                counters.add(.upstreamTimeouts)
                fail(dfd, ProxyError(kind: .upstreamTimeout))  // stalled mid-body: nothing to retry
            } else {
                counters.add(.upstreamTimeouts)
                attemptFailed(dfd, .upstreamTimeout)  // the per-try (or overall) limit
            }
        case .retryBackoff:
            guard c.pointee.kind == .downstream, c.pointee.phase == .proxying, c.pointee.exchange.retryScheduled else { return }
            attachUpstream(fd)
        case .faultDelay:
            guard c.pointee.kind == .downstream, c.pointee.phase == .proxying, c.pointee.exchange.faultHeld else { return }
            faultDelayEnded(fd)
        case .pendingWait:
            guard c.pointee.kind == .downstream, c.pointee.exchange.pendingPool >= 0 else { return }
            leavePending(c)
            fail(fd, ProxyError(kind: .upstreamPendingTimeout))
        }
    }
}
