// Worker+Upstream: leasing, connecting, returning and closing upstream connections.
import CTracegateShims
import Glibc
import TracegateHTTP
import TracegateTLS

extension Worker {
    /// Starts the exchange's next attempt: admits the request to its cluster (first attempt),
    /// chooses the endpoint (balancer, ejection, breakers), opens the attempt's record and gets it
    /// a connection.
    func attachUpstream(_ fd: Int32) {
        let d = table[fd]
        d.pointee.exchange.retryScheduled = false
        let cluster = d.pointee.exchange.clusterIndex
        guard cluster >= 0 && cluster < snapshot.clusters.count else {
            fail(fd, ProxyError(kind: .noRoute))  // a reload removed the cluster between attempts
            return
        }
        if d.pointee.exchange.attempts == 0 && !admitRequest(fd, cluster: cluster) { return }
        guard chooseEndpoint(fd, cluster: cluster) else {
            resilience.countCircuitRejected(cluster: Int(d.pointee.exchange.clusterSlot))
            fail(fd, ProxyError(kind: .upstreamCircuitOpen))
            return
        }
        d.pointee.exchange.attempts += 1
        d.pointee.exchange.upstreamStartNanos = now
        beginAttempt(fd, pool: d.pointee.exchange.poolIndex)
        connectAttempt(fd)
    }

    /// Gets the current attempt a connection on its chosen pool: a stream on an HTTP/2
    /// connection, an idle pooled one, a new non-blocking connect, or a place in the pool's
    /// pending queue when the pool (or the cluster) is at its connection limit.
    func connectAttempt(_ fd: Int32) {
        let d = table[fd]
        let cluster = d.pointee.exchange.clusterIndex
        let poolIndex = d.pointee.exchange.poolIndex
        guard cluster >= 0 && cluster < snapshot.clusters.count && poolIndex >= 0 else {
            fail(fd, ProxyError(kind: .noRoute))
            return
        }
        switch snapshot.clusters[cluster].upstreamProtocol {
        case .h2c, .h2:
            attachH2Upstream(fd, pool: poolIndex, cluster: cluster)
            return
        case .auto:
            // A connection that ALPN already made HTTP/2 takes the exchange as a stream.
            for cfd in pools.pools[poolIndex].h2Connections {
                let c = table[cfd]
                if c.pointee.kind == .upstream, c.pointee.session != nil, c.pointee.link.hasStreamCapacity {
                    counters.add(.upstreamReused)
                    noteAttemptReused(fd)
                    openUpstreamStream(fd, on: cfd, pool: poolIndex, reused: true)
                    return
                }
            }
        case .http1:
            break
        }
        let responseTimeout = attemptTimeout(d)

        // Reuse the most recently returned idle connection.
        while let ufd = pools.popIdle(poolIndex) {
            let u = table[ufd]
            guard u.pointee.kind == .upstream, u.pointee.upstreamPhase == .idle else { continue }
            if u.pointee.readEOF || (u.pointee.canRead && !idleConnectionIsAlive(u)) {
                // The server closed it (or sent bytes unasked) while idle: not reusable.
                closeUpstream(ufd)
                continue
            }
            bindUpstream(ufd, to: fd, pool: poolIndex)
            counters.add(.upstreamReused)
            noteAttemptReused(fd)
            arm(ufd, .response, after: responseTimeout)
            pump(fd)
            return
        }

        guard pools.pools[poolIndex].open < pools.pools[poolIndex].maxConnections, clusterMayConnect(fd, cluster: cluster) else {
            waitForConnection(fd, pool: poolIndex)
            return
        }
        let (ufd, result) = SocketOps.connect(to: pools.pools[poolIndex].address)
        counters.add(.upstreamConnects)
        if ufd < 0 || !table.contains(ufd) {
            if ufd >= 0 { close(ufd) }
            counters.add(.upstreamConnectFailures)
            attemptFailed(fd, .upstreamConnectFailed)
            return
        }
        let u = table[ufd]
        u.pointee.reset(kind: .upstream, fd: ufd)
        pools.opened(poolIndex)
        u.pointee.poolIndex = poolIndex
        switch result {
        case .failure:
            counters.add(.upstreamConnectFailures)
            u.pointee.upstreamPhase = .connecting
            closeUpstream(ufd)
            attemptFailed(fd, .upstreamConnectFailed)
        case .success(let connected):
            register(ufd)
            bindUpstream(ufd, to: fd, pool: poolIndex)
            if connected { noteAttemptConnected(fd) }
            if let context = snapshot.clusters[cluster].tls {
                guard let tls = TLSConnection.connect(fd: ufd, context: context, serverName: snapshot.clusters[cluster].serverName) else {
                    counters.add(.upstreamConnectFailures)
                    attemptFailed(fd, .upstreamConnectFailed)
                    return
                }
                u.pointee.tls = tls
                u.pointee.upstreamPhase = .connecting
                arm(ufd, .connect, after: pools.pools[poolIndex].connectTimeoutNanos)
                if connected { upstreamEvent(ufd) }
                return
            }
            if connected {
                u.pointee.canWrite = true
                arm(ufd, .response, after: responseTimeout)
                pump(fd)
            } else {
                u.pointee.upstreamPhase = .connecting
                arm(ufd, .connect, after: pools.pools[poolIndex].connectTimeoutNanos)
            }
        }
    }

    /// Whether the cluster's `circuit_breakers.max_connections` leaves room for one more
    /// connection (counted over the cluster's endpoints on this worker). Reaching it is counted:
    /// the exchange then waits in the pending queue.
    func clusterMayConnect(_ fd: Int32, cluster c: Int) -> Bool {
        guard c < guards.count else { return true }
        let limit = guards[c].limits.configuration.maxConnections
        var open = 0
        for p in pools.clusterPools[c] { open += pools.pools[p].open }
        guard open >= limit else { return true }
        resilience.countOverloaded(cluster: Int(table[fd].pointee.exchange.clusterSlot), .connections)
        return false
    }

    func bindUpstream(_ ufd: Int32, to fd: Int32, pool: Int) {
        let u = table[ufd]
        let d = table[fd]
        u.pointee.upstreamPhase = .active
        u.pointee.downstreamFD = fd
        u.pointee.downstreamGeneration = d.pointee.generation
        u.pointee.inBuf.clear()
        d.pointee.exchange.upstreamFD = ufd
        d.pointee.exchange.upstreamGeneration = u.pointee.generation
        pools.leased(pool)
    }

    /// An epoll event on an upstream connection.
    func upstreamEvent(_ ufd: Int32) {
        let u = table[ufd]
        if u.pointee.session != nil {
            h2UpstreamEvent(ufd)
            return
        }
        switch u.pointee.upstreamPhase {
        case .idle:
            // A pooled connection should be silent: readable means the server closed it (or sent
            // bytes nobody asked for). A bare EPOLLOUT edge (send buffer drained) is harmless.
            guard u.pointee.canRead || u.pointee.readEOF else { return }
            if idleConnectionIsAlive(u) { return }
            pools.removeIdle(u.pointee.poolIndex, ufd)
            closeUpstream(ufd)
        case .handshake:
            continueUpstreamHandshake(ufd)
        case .connecting:
            guard u.pointee.canWrite else { return }
            let fd = u.pointee.downstreamFD
            let err = tg_socket_error(ufd)
            if err != 0 {
                counters.add(.upstreamConnectFailures)
                if downstreamIsCurrent(fd, for: u) {
                    attemptFailed(fd, .upstreamConnectFailed)  // abandons this upstream
                } else {
                    abandonUpstream(ufd)
                }
                return
            }
            guard downstreamIsCurrent(fd, for: u) else { abandonUpstream(ufd); return }
            noteAttemptConnected(fd)
            if u.pointee.tls != nil {
                u.pointee.upstreamPhase = .handshake
                continueUpstreamHandshake(ufd)
                return
            }
            u.pointee.upstreamPhase = .active
            arm(ufd, .response, after: attemptTimeout(table[fd]))
            driveDownstream(fd)
        case .active:
            let fd = u.pointee.downstreamFD
            guard downstreamIsCurrent(fd, for: u) else { abandonUpstream(ufd); return }
            driveDownstream(fd)
        }
    }

    /// Whether the downstream this upstream serves is still the same connection and exchange.
    func downstreamIsCurrent(_ fd: Int32, for u: UnsafeMutablePointer<Connection>) -> Bool {
        guard fd >= 0 else { return false }
        let d = table[fd]
        return d.pointee.kind == .downstream && d.pointee.generation == u.pointee.downstreamGeneration
            && d.pointee.exchange.upstreamFD == u.pointee.fd
    }

    /// Hands an upstream connection back after a complete exchange: to the idle pool when it can
    /// carry another request, closed otherwise.
    func releaseUpstream(_ ufd: Int32, reusable: Bool) {
        let u = table[ufd]
        let poolIndex = u.pointee.poolIndex
        pools.released(poolIndex)
        u.pointee.exchangesServed += 1
        u.pointee.downstreamFD = -1
        if u.pointee.isStream {
            releaseUpstreamStream(ufd)
            return
        }
        let pool = pools.pools[poolIndex]
        guard reusable, pool.current, !draining, pool.idle.count < pool.maxIdle, !u.pointee.readEOF,
              u.pointee.inBuf.readableBytes == 0 else {
            closeUpstream(ufd)
            return
        }
        u.pointee.upstreamPhase = .idle
        u.pointee.inBuf.clear()
        pools.pushIdle(poolIndex, ufd)
        arm(ufd, .poolIdle, after: pool.idleTimeoutNanos)
    }

    /// Detaches an upstream from its exchange without reuse (errors, aborts).
    func abandonUpstream(_ ufd: Int32) {
        let u = table[ufd]
        if u.pointee.upstreamPhase != .idle && u.pointee.downstreamFD >= 0 {
            pools.released(u.pointee.poolIndex)
        }
        u.pointee.downstreamFD = -1
        closeUpstream(ufd)
    }

    /// Closes an upstream socket and frees its slot (buffers are kept for the next use of the fd).
    func closeUpstream(_ ufd: Int32, failing kind: ProxyError.Kind = .upstreamReset) {
        let u = table[ufd]
        guard u.pointee.kind == .upstream else { return }
        if u.pointee.role == .shadow { closeShadow(ufd); return }
        if u.pointee.isStream {
            releaseUpstreamStream(ufd)
            return
        }
        if u.pointee.session != nil { closeH2Upstream(ufd, failing: kind) }
        if u.pointee.tls != nil { releaseTLS(u) }
        if u.pointee.poolIndex >= 0 {
            pools.closed(u.pointee.poolIndex)
            if u.pointee.upstreamPhase == .idle { pools.removeIdle(u.pointee.poolIndex, ufd) }
        }
        u.pointee.kind = .free
        u.pointee.generation &+= 1
        u.pointee.deadline = 0
        shrinkBuffers(u)
        close(ufd)
    }

    /// Gives back buffer memory above the default size, so a burst of large heads does not pin memory.
    func shrinkBuffers(_ c: UnsafeMutablePointer<Connection>) {
        if c.pointee.inBuf.capacity > 64 * 1024 { c.pointee.inBuf.release() }
        if c.pointee.outBuf.capacity > 64 * 1024 { c.pointee.outBuf.release() }
        if c.pointee.upstreamHead.capacity > 64 * 1024 { c.pointee.upstreamHead.release() }
        c.pointee.inBuf.clear()
        c.pointee.outBuf.clear()
        c.pointee.upstreamHead.clear()
    }
}
