// Worker+H2UpstreamConnection: the life of an HTTP/2 upstream connection — connect, TLS and ALPN,
// frames in and out, close.
import CTracegateShims
import Glibc
import TracegateH2
import TracegateHTTP
import TracegateTLS

extension Worker {
    /// Opens a new HTTP/2 connection to pool `poolIndex` (non-blocking connect; the session's
    /// preface and SETTINGS wait in its buffer until the socket is writable).
    func openH2Upstream(pool poolIndex: Int, cluster: Int) -> Int32? {
        let (cfd, result) = SocketOps.connect(to: pools.pools[poolIndex].address)
        counters.add(.upstreamConnects)
        guard cfd >= 0 else { return nil }
        guard table.contains(cfd), case .success(let connected) = result else {
            close(cfd)
            return nil
        }
        let session: H2Session
        do {
            session = try H2Session(role: .client, settings: snapshot.http2.settings, limits: snapshot.http2.limits)
        } catch {
            close(cfd)
            return nil
        }
        let link = H2Link(session: session)
        link.poolIndex = poolIndex
        link.maxStreams = snapshot.clusters[cluster].maxStreamsPerConnection
        let c = table[cfd]
        c.pointee.reset(kind: .upstream, fd: cfd)
        c.pointee.session = Unmanaged.passRetained(link).toOpaque()
        c.pointee.poolIndex = poolIndex
        pools.opened(poolIndex)
        pools.pools[poolIndex].h2Connections.append(cfd)
        register(cfd)
        if let context = snapshot.clusters[cluster].tls {
            guard let tls = TLSConnection.connect(fd: cfd, context: context, serverName: snapshot.clusters[cluster].serverName) else {
                closeUpstream(cfd, failing: .upstreamConnectFailed)
                return nil
            }
            c.pointee.tls = tls
            c.pointee.upstreamPhase = .connecting  // EPOLLOUT (or the connect completing) starts the handshake
            arm(cfd, .connect, after: pools.pools[poolIndex].connectTimeoutNanos)
            return cfd
        }
        if connected {
            c.pointee.upstreamPhase = .active
            c.pointee.canWrite = true
        } else {
            c.pointee.upstreamPhase = .connecting
            arm(cfd, .connect, after: pools.pools[poolIndex].connectTimeoutNanos)
        }
        return cfd
    }

    /// An epoll event on an HTTP/2 upstream connection.
    func h2UpstreamEvent(_ cfd: Int32) {
        let c = table[cfd]
        if c.pointee.upstreamPhase == .connecting {
            guard c.pointee.canWrite else { return }
            if tg_socket_error(cfd) != 0 {
                counters.add(.upstreamConnectFailures)
                closeUpstream(cfd, failing: .upstreamConnectFailed)
                return
            }
            // The attempts waiting as streams on this new connection: their connect point.
            for s in c.pointee.link.streamSlots {
                let fd = table[s].pointee.downstreamFD
                if downstreamIsCurrent(fd, for: table[s]) { noteAttemptConnected(fd) }
            }
            if c.pointee.tls != nil {
                c.pointee.upstreamPhase = .handshake
            } else {
                c.pointee.upstreamPhase = c.pointee.link.streamSlots.isEmpty ? .idle : .active
                disarm(cfd)
            }
        }
        if c.pointee.upstreamPhase == .handshake, let tls = c.pointee.tls {
            switch tls.handshake() {
            case .done:
                guard tls.negotiatedProtocol == .h2 else {
                    // An `h2` cluster whose server would not speak HTTP/2 (RFC 7301: no ALPN h2).
                    counters.add(.upstreamConnectFailures)
                    closeUpstream(cfd, failing: .upstreamConnectFailed)
                    return
                }
                c.pointee.upstreamPhase = c.pointee.link.streamSlots.isEmpty ? .idle : .active
                disarm(cfd)
            case .wantRead:
                c.pointee.canRead = false
                return
            case .wantWrite:
                c.pointee.canWrite = false
                return
            case .failed:
                counters.add(.upstreamConnectFailures)
                closeUpstream(cfd, failing: .upstreamConnectFailed)
                return
            }
        }
        driveUpstreamH2(cfd)
    }

    /// An `auto` cluster's connection whose TLS handshake chose h2: it becomes an HTTP/2
    /// connection of its pool, and the exchange that opened it its first stream.
    func adoptAsH2(_ cfd: Int32, for fd: Int32) {
        let c = table[cfd]
        let poolIndex = c.pointee.poolIndex
        let d = table[fd]
        let cluster = d.pointee.exchange.clusterIndex
        let session: H2Session
        do {
            session = try H2Session(role: .client, settings: snapshot.http2.settings, limits: snapshot.http2.limits)
        } catch {
            fail(fd, ProxyError(kind: .upstreamConnectFailed))
            return
        }
        let link = H2Link(session: session)
        link.poolIndex = poolIndex
        link.maxStreams = cluster >= 0 && cluster < snapshot.clusters.count ? snapshot.clusters[cluster].maxStreamsPerConnection : 100
        pools.released(poolIndex)
        c.pointee.downstreamFD = -1
        d.pointee.exchange.upstreamFD = -1
        c.pointee.session = Unmanaged.passRetained(link).toOpaque()
        c.pointee.upstreamPhase = .idle
        pools.pools[poolIndex].h2Connections.append(cfd)
        disarm(cfd)
        openUpstreamStream(fd, on: cfd, pool: poolIndex, reused: false)
    }

    /// Reads and feeds the upstream's frames, acts on them, and sends what the session has.
    func driveUpstreamH2(_ cfd: Int32) {
        let c = table[cfd]
        let link = c.pointee.link
        while c.pointee.canRead && c.pointee.kind == .upstream && c.pointee.session != nil {
            if c.pointee.inBuf.writableBytes < 1024 { c.pointee.inBuf.reserve(minimumWritable: Worker.readChunk) }
            let room = c.pointee.inBuf.writable
            switch transportRead(c, into: room) {
            case .bytes(let n):
                c.pointee.inBuf.moveWriterIndex(by: n)
                noteRead(c, n, of: room.count)
                let failure = link.session.receive(c.pointee.inBuf.readable)
                c.pointee.inBuf.clear()
                handleUpstreamH2Events(cfd)
                if failure != nil {
                    flushUpstreamH2(cfd)
                    closeUpstream(cfd, failing: .upstreamReset)
                    return
                }
            case .wouldBlock:
                c.pointee.canRead = false
            case .eof, .error:
                closeUpstream(cfd, failing: .upstreamReset)
                return
            }
        }
        guard c.pointee.kind == .upstream, c.pointee.session != nil else { return }
        flushUpstreamH2(cfd)
    }

    /// Writes the session's frames to an upstream connection; closes it once the session is done.
    func flushUpstreamH2(_ cfd: Int32) {
        let c = table[cfd]
        guard c.pointee.kind == .upstream, c.pointee.session != nil, c.pointee.upstreamPhase != .connecting,
              c.pointee.upstreamPhase != .handshake else { return }
        let link = c.pointee.link
        while true {
            if c.pointee.outBuf.readableBytes < Worker.streamWindow {
                if link.session.send(into: &c.pointee.outBuf, limit: Worker.streamWindow) != nil {
                    closeUpstream(cfd, failing: .upstreamReset)
                    return
                }
                if !link.session.events.isEmpty { handleUpstreamH2Events(cfd) }
                guard c.pointee.kind == .upstream, c.pointee.session != nil else { return }
            }
            guard c.pointee.outBuf.readableBytes > 0 else { break }
            guard c.pointee.canWrite else { return }
            switch transportWrite(c, c.pointee.outBuf.readable, UnsafeRawBufferPointer(start: nil, count: 0)) {
            case .bytes(let n):
                c.pointee.outBuf.moveReaderIndex(by: n)
                if c.pointee.outBuf.readableBytes == 0 { c.pointee.outBuf.clear() } else { c.pointee.canWrite = false }
            case .wouldBlock:
                c.pointee.canWrite = false
                return
            case .eof, .error:
                closeUpstream(cfd, failing: .upstreamReset)
                return
            }
        }
        if !link.session.wantsRead && !link.session.wantsWrite {
            closeUpstream(cfd, failing: .upstreamReset)
        }
    }

    /// Closes an HTTP/2 upstream connection's session: every exchange still using one of its
    /// streams fails with `kind` (and may be retried like a failed HTTP/1.1 attempt). The session
    /// is detached first, so the streams' own clean-up finds no link to reset streams on.
    func closeH2Upstream(_ cfd: Int32, failing kind: ProxyError.Kind) {
        let c = table[cfd]
        guard let raw = c.pointee.session else { return }
        let link = c.pointee.link
        c.pointee.session = nil
        let pool = link.poolIndex
        if pool >= 0, let i = pools.pools[pool].h2Connections.firstIndex(of: cfd) {
            pools.pools[pool].h2Connections.remove(at: i)
        }
        for s in link.streamSlots {
            let u = table[s]
            guard u.pointee.kind == .upstream, u.pointee.stream.parentFD == cfd else { continue }
            u.pointee.stream.closed = true
            let fd = u.pointee.downstreamFD
            if downstreamIsCurrent(fd, for: u) {
                upstreamFailed(fd, kind)
            } else {
                releaseUpstreamStream(s)
            }
        }
        link.streamSlots.removeAll()
        Unmanaged<H2Link>.fromOpaque(raw).release()
    }
}
