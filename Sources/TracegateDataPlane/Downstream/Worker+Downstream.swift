// Worker+Downstream: reading request heads and running a downstream connection's phases.
import CTracegateShims
import Glibc
import TracegateHTTP

extension Worker {
    /// Runs a downstream connection until it has nothing more to do right now. Loops because one
    /// phase can hand over to the next without a new event (a pipelined request already buffered).
    func driveDownstream(_ fd: Int32) {
        let d = table[fd]
        var rounds = 0
        while d.pointee.kind == .downstream && rounds < 64 {
            rounds += 1
            let before = (d.pointee.phase, d.pointee.requestsServed)
            switch d.pointee.phase {
            case .idle, .readingHead:
                readHead(fd)
            case .proxying:
                pump(fd)
            case .tunnel:
                pumpTunnel(fd)
            case .closing:
                flushClosing(fd)
            case .handshake:
                continueHandshake(fd)
            case .multiplexed:
                driveH2(fd)
            }
            guard d.pointee.kind == .downstream else { return }
            let after = (d.pointee.phase, d.pointee.requestsServed)
            if after == before { return }
        }
    }

    /// Reads and parses a request head; starts the exchange when it is complete.
    private func readHead(_ fd: Int32) {
        let d = table[fd]
        let limits = snapshot.headLimits
        while true {
            let pending = d.pointee.inBuf.readable
            if d.pointee.requestsServed == 0 && pending.count > 0 && !d.pointee.isStream && acceptsH2c(d) {
                switch Worker.matchPreface(pending) {
                case .http2:
                    becomeH2(fd)
                    return
                case .needMore:
                    guard d.pointee.canRead else {
                        if d.pointee.phase == .idle {
                            d.pointee.phase = .readingHead
                            arm(fd, .headerRead, after: snapshot.timeouts.headerReadNanos)
                        }
                        return
                    }
                case .http1:
                    break
                }
            }
            if pending.count > 0 && !(d.pointee.requestsServed == 0 && !d.pointee.isStream && acceptsH2c(d)
                                      && Worker.matchPreface(pending) == .needMore)
                && HeadParser.worthReparsing(pending, previousCount: d.pointee.headParsedCount, limits: limits) {
                let status: ParseStatus
                do {
                    status = try HeadParser.parseRequest(pending, limits: limits, into: &requestHead)
                } catch {
                    respondBeforeExchange(fd, ProxyError(kind: .badRequest(error)))
                    return
                }
                if status == .complete {
                    d.pointee.headParsedCount = 0
                    startExchange(fd)
                    return
                }
                d.pointee.headParsedCount = pending.count
                if d.pointee.phase == .idle {
                    d.pointee.phase = .readingHead
                    arm(fd, .headerRead, after: snapshot.timeouts.headerReadNanos)
                }
            }
            guard d.pointee.canRead else { return }
            if d.pointee.inBuf.writableBytes < 1024 {
                d.pointee.inBuf.reserve(minimumWritable: Worker.readChunk)
            }
            let room = d.pointee.inBuf.writable
            switch transportRead(d, into: room) {
            case .bytes(let n):
                d.pointee.inBuf.moveWriterIndex(by: n)
                counters.add(.bytesIn, UInt64(n))
                noteRead(d, n, of: room.count)
            case .wouldBlock:
                d.pointee.canRead = false
                return
            case .eof, .error:
                // The client went away between requests or mid-head: nothing to answer.
                closeDownstream(fd)
                return
            }
        }
    }

    /// The head is complete: limits, edge context, route, upstream head, then lease an upstream.
    private func startExchange(_ fd: Int32) {
        let d = table[fd]
        counters.add(.requests)
        var x = Exchange()
        x.startNanos = now
        x.startWallNanos = tg_realtime_ns()
        x.headReadNanos = now
        x.method = requestHead.method
        x.clientKeepAlive = requestHead.keepAlive
        x.expectsContinue = requestHead.expectsContinue
        x.wantsUpgrade = requestHead.upgrade
        x.clientHTTP10 = requestHead.version == .http1_0
        x.headLength = requestHead.headLength
        x.requestSent = requestHead.headLength
        x.requestScanned = requestHead.headLength
        x.requestTracker = BodyTracker(framing: requestHead.framing)
        x.closeAfterResponse = !requestHead.keepAlive || draining
        d.pointee.exchange = x
        d.pointee.phase = .proxying
        disarm(fd)

        // Route, then the edge and the upstream head, then the verdicts: even a 404 or 413 carries
        // the request's correlation id.
        // Host and path are found once: routing and the request record both use them.
        let (host, path) = hostAndPath(d.pointee.inBuf.readable)
        let route = matchRoute(host: host, path: path)
        if let route {
            d.pointee.exchange.routeIndex = route
            d.pointee.exchange.routeChosenNanos = now
            d.pointee.exchange.routeSlot = Int32(truncatingIfNeeded: snapshot.routes[route].metricSlot)
        }
        recordRequestHead(fd, host: host)
        resetFaultHeaders()
        writeUpstreamHead(fd)
        if case .contentLength(let n) = requestHead.framing, snapshot.maxRequestBodyBytes > 0, n > snapshot.maxRequestBodyBytes {
            fail(fd, ProxyError(kind: .bodyTooLarge))
            return
        }
        guard let route else {
            fail(fd, ProxyError(kind: .noRoute))
            return
        }
        d.pointee.exchange.routeIndex = route
        d.pointee.exchange.clusterIndex = snapshot.routes[route].clusterIndex
        let cluster = snapshot.routes[route].clusterIndex
        // attachUpstream answers a missing cluster; here it only goes uncounted.
        d.pointee.exchange.clusterSlot = cluster < snapshot.clusters.count
            ? Int32(truncatingIfNeeded: snapshot.clusters[cluster].metricSlot) : -1
        d.pointee.exchange.responseTimeoutNanos = snapshot.routes[route].responseTimeoutNanos
        let retry = snapshot.routes[route].retry
        d.pointee.exchange.attemptTimeoutNanos = retry.perTryTimeout ?? snapshot.routes[route].responseTimeoutNanos
        d.pointee.exchange.deadlineNanos = retry.timeout.map { d.pointee.exchange.startNanos &+ $0 } ?? 0
        d.pointee.exchange.hasIdempotencyKey = requestHead.firstIndex(of: .idempotencyKey) != nil
        if snapshot.routes[route].mirror != nil { mirrorRouted(fd, route: route) }
        guard startFaults(fd, route: route) else { return }
        attachUpstream(fd)
    }

    /// A parse error before any exchange state exists: answer and close.
    func respondBeforeExchange(_ fd: Int32, _ error: ProxyError) {
        let d = table[fd]
        d.pointee.exchange = Exchange()
        d.pointee.exchange.startNanos = now
        d.pointee.exchange.closeAfterResponse = true
        d.pointee.phase = .proxying
        fail(fd, error)
    }
}
