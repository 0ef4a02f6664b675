// Worker+ShadowConnection: a shadow connection's life — events, handshake, timer, end, pool, close.
import CTracegateShims
import Glibc
import TracegateResilience
import TracegateTLS

extension Worker {
    /// An epoll event on a shadow connection (the dispatch sends shadow slots here).
    func shadowEvent(_ ufd: Int32) {
        let u = table[ufd]
        switch u.pointee.upstreamPhase {
        case .idle:
            // Pooled: readable means the server closed it (TLS tickets aside), as for primaries.
            guard u.pointee.canRead || u.pointee.readEOF else { return }
            if idleConnectionIsAlive(u) { return }
            closeShadow(ufd)
        case .connecting:
            guard u.pointee.canWrite else { return }
            if tg_socket_error(ufd) != 0 {
                finishShadow(ufd, .connectFailed)
                return
            }
            if u.pointee.tls != nil {
                u.pointee.upstreamPhase = .handshake
                continueShadowHandshake(ufd)
                return
            }
            u.pointee.upstreamPhase = .active
            driveShadow(ufd)
        case .handshake:
            continueShadowHandshake(ufd)
        case .active:
            driveShadow(ufd)
        }
    }

    /// Drives a shadow connection's TLS handshake. Shadow clusters speak HTTP/1.1 (the config
    /// refuses h2 and h2c ones); a server that still picks h2 by ALPN is a failed connect.
    private func continueShadowHandshake(_ ufd: Int32) {
        let u = table[ufd]
        guard let tls = u.pointee.tls else { return }
        switch tls.handshake() {
        case .done:
            if tls.negotiatedProtocol == .h2 {
                finishShadow(ufd, .connectFailed)
                return
            }
            u.pointee.upstreamPhase = .active
            driveShadow(ufd)
        case .wantRead:
            u.pointee.canRead = false
        case .wantWrite:
            u.pointee.canWrite = false
        case .failed:
            finishShadow(ufd, .connectFailed)
        }
    }

    /// A shadow connection's deadline passed: the pool's idle time, or the mirror's `timeout`,
    /// which bounds the whole shadow exchange from connect to the last response byte.
    func shadowTimerFired(_ ufd: Int32, _ kind: Connection.TimerKind) {
        let u = table[ufd]
        guard u.pointee.kind == .upstream else { return }
        switch kind {
        case .poolIdle:
            if u.pointee.upstreamPhase == .idle { closeShadow(ufd) }
        case .connect, .response:
            guard u.pointee.shadow.serial != 0 else { return }
            let connecting = u.pointee.upstreamPhase == .connecting || u.pointee.upstreamPhase == .handshake
            finishShadow(ufd, connecting ? .connectTimeout : .timeout)
        default:
            return
        }
    }

    /// Ends the shadow exchange on `ufd` with `outcome`: its span, its counts and comparison, then
    /// the connection goes back to the shadow pool (a complete keep-alive response) or closes.
    func finishShadow(_ ufd: Int32, _ outcome: AttemptOutcome) {
        let u = table[ufd]
        let s = u.pointee.shadow
        guard s.serial != 0 else { return }
        u.pointee.shadow.serial = 0
        disarm(ufd)
        var response: MirrorComparison.Response? = nil
        if outcome == .response {
            response = s.compareBody ? MirrorComparison.Response(status: s.status, body: s.digest.summary)
                : MirrorComparison.Response(status: s.status)
        }
        if s.traced && u.pointee.record.attemptLog.count > 0 {
            var a = u.pointee.record.attemptLog[0]
            a.outcome = outcome
            a.status = outcome == .response ? s.status : 0
            a.endOffsetNanos = now &- s.originNanos
            publishShadowRecord(from: u, s, a)
        }
        if u.pointee.poolIndex >= 0 { mirror.pools.released(u.pointee.poolIndex) }
        concludeShadow(s, outcome, response: response)
        let reusable = outcome == .response && s.keepAlive && s.tracker.isComplete && !u.pointee.readEOF
            && u.pointee.inBuf.readableBytes == 0 && u.pointee.outBuf.readableBytes == 0
        returnShadow(ufd, reusable: reusable)
    }

    /// Puts a finished shadow connection on its pool's idle list, or closes it.
    private func returnShadow(_ ufd: Int32, reusable: Bool) {
        let u = table[ufd]
        let poolIndex = u.pointee.poolIndex
        guard reusable, poolIndex >= 0, !draining else {
            closeShadow(ufd)
            return
        }
        let pool = mirror.pools.pools[poolIndex]
        guard pool.current, pool.idle.count < pool.maxIdle else {
            closeShadow(ufd)
            return
        }
        u.pointee.upstreamPhase = .idle
        u.pointee.exchangesServed += 1
        u.pointee.inBuf.clear()
        u.pointee.outBuf.clear()
        mirror.pools.pushIdle(poolIndex, ufd)
        arm(ufd, .poolIdle, after: pool.idleTimeoutNanos)
    }

    /// Closes a shadow connection and frees its slot; a shadow exchange still running on it ends
    /// as aborted first (drain and exit close whatever is open).
    func closeShadow(_ ufd: Int32) {
        let u = table[ufd]
        guard u.pointee.kind == .upstream else { return }
        if u.pointee.shadow.serial != 0 {
            finishShadow(ufd, .aborted)  // ends by closing (an aborted exchange is never reused)
            return
        }
        if u.pointee.tls != nil { releaseTLS(u) }
        let poolIndex = u.pointee.poolIndex
        if poolIndex >= 0 {
            if u.pointee.upstreamPhase == .idle { mirror.pools.removeIdle(poolIndex, ufd) }
            mirror.pools.closed(poolIndex)
        }
        u.pointee.kind = .free
        u.pointee.role = .primary
        u.pointee.generation &+= 1
        u.pointee.deadline = 0
        shrinkBuffers(u)
        close(ufd)
    }
}
