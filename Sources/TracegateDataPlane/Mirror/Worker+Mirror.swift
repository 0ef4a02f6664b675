// Worker+Mirror: which requests are mirrored, and starting their shadow exchanges.
import Glibc
import TracegateContext
import TracegateHTTP
import TracegateResilience
import TracegateTLS

extension Worker {
    /// Routing chose a route with a mirror (the caller checked `mirror != nil`, the only cost a
    /// route without one pays): decides whether this request is copied.
    ///
    /// The decision is the trace id's (`MirrorSelector`), so every worker and every instance
    /// mirrors the same traces; then the method, then the size when the body's length is known.
    /// A chunked body is measured as it arrives (`mirrorRequestSent`).
    func mirrorRouted(_ fd: Int32, route: Int) {
        let d = table[fd]
        guard let policy = snapshot.routes[route].mirror, let edge = d.pointee.exchange.edge, !d.pointee.exchange.wantsUpgrade,
              d.pointee.exchange.method != .connect,
              policy.selector.shouldMirror(traceIDHigh: edge.traceID.hi, low: edge.traceID.lo),
              policy.mirrors(d.pointee.exchange.method) else { return }
        let slot = mirror.slot(ofRouteSlot: snapshot.routes[route].metricSlot)
        let head = UInt64(d.pointee.upstreamHead.readableBytes)
        if case .contentLength(let n) = d.pointee.exchange.requestTracker.framing, head &+ n > UInt64(max(policy.maxBody, 0)) {
            mirror.metrics.count(.skippedBody, slot: slot)
            d.pointee.exchange.mirrorOutcome = RequestRecord.mirrorOutcome(.skippedBody)
            return
        }
        var link = MirrorLink()
        link.phase = .waiting
        link.routeSlot = Int32(truncatingIfNeeded: slot)
        link.maxBody = policy.maxBody
        link.digesting = policy.compareBody
        link.digest = BodyDigest(maxBody: policy.maxBody)
        d.pointee.exchange.mirror = link
    }

    /// Hook after the pump wrote request bytes to the primary, for a selected request: once the
    /// whole request went out and is still whole in the downstream buffer, the shadow starts.
    ///
    /// Why after the primary's write: the copy is taken from the very bytes the primary was sent,
    /// and the shadow's connect and write happen while the primary's upstream is already working
    /// on its request, so they are never in front of it.
    func mirrorRequestSent(_ fd: Int32) {
        let d = table[fd]
        let head = d.pointee.upstreamHead.readableBytes
        let body = d.pointee.exchange.requestScanned - d.pointee.exchange.headLength
        if !d.pointee.exchange.replayable || head + body > d.pointee.exchange.mirror.maxBody {
            mirror.metrics.count(.skippedBody, slot: Int(d.pointee.exchange.mirror.routeSlot))
            d.pointee.exchange.mirrorOutcome = RequestRecord.mirrorOutcome(.skippedBody)
            d.pointee.exchange.mirror = MirrorLink()
            return
        }
        guard d.pointee.exchange.requestTracker.isComplete, d.pointee.exchange.requestSent == d.pointee.exchange.requestScanned,
              d.pointee.exchange.upstreamHeadSent == head else { return }
        startShadow(fd)
    }

    /// Admits the copy at the route's gate and starts it on a shadow connection: an idle one from
    /// the shadow pools, or a new non-blocking connect. Nothing here can fail the primary: every
    /// failure becomes the shadow's outcome.
    private func startShadow(_ fd: Int32) {
        let d = table[fd]
        let slot = Int(d.pointee.exchange.mirror.routeSlot)
        d.pointee.exchange.mirror.phase = .none
        let route = d.pointee.exchange.routeIndex
        // A reload between routing and now may have moved or removed the route or its mirror; a
        // draining worker starts no shadow (it would only be cut at exit).
        guard !draining, route >= 0 && route < snapshot.routes.count, mirror.slot(ofRouteSlot: snapshot.routes[route].metricSlot) == slot,
              let policy = snapshot.routes[route].mirror, policy.clusterIndex >= 0 && policy.clusterIndex < snapshot.clusters.count,
              policy.clusterIndex < mirror.pools.clusterPools.count, !mirror.pools.clusterPools[policy.clusterIndex].isEmpty,
              let edge = d.pointee.exchange.edge else {
            d.pointee.exchange.mirror.digesting = false
            return
        }
        guard mirror.gates.tryStart(slot) else {
            mirror.metrics.count(.droppedInFlight, slot: slot)
            d.pointee.exchange.mirrorOutcome = RequestRecord.mirrorOutcome(.droppedInFlight)
            d.pointee.exchange.mirror.digesting = false
            return
        }
        mirror.metrics.count(.sent, slot: slot)
        d.pointee.exchange.mirrorOutcome = RequestRecord.mirrorOutcome(.sent)
        mirror.metrics.adjustInFlight(slot: slot, by: 1)
        let serial = mirror.nextSerial()
        d.pointee.exchange.mirror.phase = .started
        d.pointee.exchange.mirror.serial = serial

        var s = ShadowExchange()
        s.serial = serial
        s.downstreamFD = fd
        s.downstreamGeneration = d.pointee.generation
        s.routeSlot = Int32(truncatingIfNeeded: slot)
        s.method = d.pointee.exchange.method
        s.compareBody = policy.compareBody
        s.traced = edge.isSampled
        s.traceHi = edge.traceID.hi
        s.traceLo = edge.traceID.lo
        s.serverSpanID = edge.serverSpanID.rawValue
        s.originNanos = d.pointee.exchange.startNanos
        s.wallStartNanos = d.pointee.exchange.startWallNanos
        s.routeIndex = Int32(truncatingIfNeeded: route)
        s.digest = BodyDigest(maxBody: policy.maxBody)

        let cluster = policy.clusterIndex
        let (pool, _) = mirror.pools.select(cluster: cluster, balancing: snapshot.clusters[cluster].balancing)
        var attempt = AttemptRecord()
        attempt.spanID = random.nextSpanID()
        attempt.endpoint = mirror.pools.pools[pool].peer
        attempt.clusterIndex = Int32(truncatingIfNeeded: cluster)
        attempt.tls = snapshot.clusters[cluster].tls != nil
        attempt.startOffsetNanos = now &- s.originNanos

        if let ufd = leaseIdleShadow(pool) {
            attempt.reusedConnection = true
            beginShadow(ufd, s, attempt, from: fd, policy: policy)
            driveShadow(ufd)
            return
        }
        guard mirror.pools.pools[pool].open < mirror.pools.pools[pool].maxConnections else {
            concludeUnconnected(s, attempt, from: fd, .poolExhausted)
            return
        }
        let (ufd, result) = SocketOps.connect(to: mirror.pools.pools[pool].address)
        guard ufd >= 0 && table.contains(ufd) else {
            if ufd >= 0 { close(ufd) }
            concludeUnconnected(s, attempt, from: fd, .connectFailed)
            return
        }
        let u = table[ufd]
        u.pointee.reset(kind: .upstream, fd: ufd)
        u.pointee.role = .shadow
        u.pointee.poolIndex = pool
        mirror.pools.opened(pool)
        beginShadow(ufd, s, attempt, from: fd, policy: policy)
        guard case .success(let connected) = result else {
            finishShadow(ufd, .connectFailed)
            return
        }
        register(ufd)
        u.pointee.upstreamPhase = .connecting
        if let context = snapshot.clusters[cluster].tls {
            guard let tls = TLSConnection.connect(fd: ufd, context: context, serverName: snapshot.clusters[cluster].serverName) else {
                finishShadow(ufd, .connectFailed)
                return
            }
            u.pointee.tls = tls
        }
        if connected {
            u.pointee.canWrite = true
            shadowEvent(ufd)
        }
    }

    /// Fills a shadow slot for one exchange: its state, the request copy in `outBuf` (the
    /// primary's upstream head rewritten by `ShadowHead`, then the body bytes as the primary got
    /// them, framing included), the span's record when the trace is sampled, and the one timer
    /// that bounds the whole shadow exchange.
    private func beginShadow(_ ufd: Int32, _ s: ShadowExchange, _ attempt: AttemptRecord, from fd: Int32, policy: MirrorPolicy) {
        let u = table[ufd]
        let d = table[fd]
        u.pointee.shadow = s
        u.pointee.upstreamPhase = .active
        d.pointee.exchange.mirror.shadowFD = ufd
        u.pointee.inBuf.clear()
        u.pointee.outBuf.clear()
        mirror.pools.leased(u.pointee.poolIndex)
        policy.hostSuffix.withUnsafeBytes { suffix in
            ShadowHead.write(d.pointee.upstreamHead.readable, traceparentOffset: d.pointee.exchange.traceparentSpanOffset,
                             spanID: attempt.spanID, hostSuffix: suffix, into: &u.pointee.outBuf)
        }
        let body = d.pointee.inBuf.readable[d.pointee.exchange.headLength..<d.pointee.exchange.requestScanned]
        u.pointee.outBuf.append(UnsafeRawBufferPointer(rebasing: body))
        if s.traced {
            u.pointee.record = d.pointee.record
            u.pointee.record.attemptLog.removeAll()
            _ = u.pointee.record.attemptLog.append(attempt)
        }
        arm(ufd, .response, after: policy.timeoutNanos)
    }

    /// The most recently returned idle shadow connection of `pool` that is still open, leased.
    private func leaseIdleShadow(_ pool: Int) -> Int32? {
        while let ufd = mirror.pools.popIdle(pool) {
            let u = table[ufd]
            guard u.pointee.kind == .upstream, u.pointee.role == .shadow, u.pointee.upstreamPhase == .idle else { continue }
            if u.pointee.readEOF || (u.pointee.canRead && !idleConnectionIsAlive(u)) {
                closeShadow(ufd)
                continue
            }
            return ufd
        }
        return nil
    }

    /// A shadow that never got a connection (pool full, no socket): its span comes from the
    /// primary's record, and it ends at once.
    private func concludeUnconnected(_ s: ShadowExchange, _ attempt: AttemptRecord, from fd: Int32, _ outcome: AttemptOutcome) {
        if s.traced {
            var a = attempt
            a.outcome = outcome
            a.endOffsetNanos = now &- s.originNanos
            publishShadowRecord(from: table[fd], s, a)
        }
        concludeShadow(s, outcome, response: nil)
    }
}
