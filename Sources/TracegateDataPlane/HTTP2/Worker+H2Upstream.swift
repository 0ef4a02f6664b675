// Worker+H2Upstream: exchanges sent as streams over shared HTTP/2 upstream connections (the
// connections themselves: Worker+H2UpstreamConnection).
import CTracegateShims
import Glibc
import TracegateH2
import TracegateHTTP
import TracegateTLS

extension Worker {
    /// Gives the exchange on downstream slot `fd` a stream on an HTTP/2 connection of pool
    /// `poolIndex`: one with room for another stream, or a new connection while the pool allows.
    ///
    /// The stream gets an upstream slot of its own (virtual), so the pump sees one upstream per
    /// exchange as with HTTP/1.1: its "socket" writes become HEADERS and DATA, and the response
    /// frames arrive in its buffer as HTTP/1.1 text.
    func attachH2Upstream(_ fd: Int32, pool poolIndex: Int, cluster: Int) {
        var connection: Int32 = -1
        for cfd in pools.pools[poolIndex].h2Connections {
            let c = table[cfd]
            if c.pointee.kind == .upstream, c.pointee.session != nil, c.pointee.link.hasStreamCapacity {
                connection = cfd
                break
            }
        }
        var reused = connection >= 0
        if connection < 0 {
            guard pools.pools[poolIndex].open < pools.pools[poolIndex].maxConnections, clusterMayConnect(fd, cluster: cluster) else {
                waitForConnection(fd, pool: poolIndex)
                return
            }
            guard let cfd = openH2Upstream(pool: poolIndex, cluster: cluster) else {
                counters.add(.upstreamConnectFailures)
                attemptFailed(fd, .upstreamConnectFailed)
                return
            }
            connection = cfd
            reused = false
            // A plain connect that completed at once; otherwise the connection's first event notes it.
            if table[cfd].pointee.upstreamPhase == .active { noteAttemptConnected(fd) }
        }
        openUpstreamStream(fd, on: connection, pool: poolIndex, reused: reused)
    }

    /// Opens a stream slot for the exchange on downstream `fd` on HTTP/2 connection `connection`,
    /// binds the two, and lets the pump send the request.
    func openUpstreamStream(_ fd: Int32, on connection: Int32, pool poolIndex: Int, reused: Bool) {
        guard let s = table.allocateVirtual() else {
            fail(fd, ProxyError(kind: .upstreamPoolExhausted))
            return
        }
        let parent = table[connection]
        let link = parent.pointee.link
        let u = table[s]
        u.pointee.reset(kind: .upstream, fd: s)
        u.pointee.stream.parentFD = connection
        u.pointee.stream.parentGeneration = parent.pointee.generation
        u.pointee.poolIndex = poolIndex
        u.pointee.canWrite = true
        link.streamSlots.append(s)
        if parent.pointee.upstreamPhase == .idle {
            parent.pointee.upstreamPhase = .active
            disarm(connection)
        }
        bindUpstream(s, to: fd, pool: poolIndex)
        noteAttemptHTTP2(fd)
        if reused {
            counters.add(.upstreamReused)
            noteAttemptReused(fd)
        }
        arm(s, .response, after: attemptTimeout(table[fd]))
        pump(fd)
    }

    /// Acts on the upstream session's events: response heads, body and trailers become HTTP/1.1
    /// bytes in the stream slot's buffer, and the exchange that owns the stream is pumped.
    func handleUpstreamH2Events(_ cfd: Int32) {
        let c = table[cfd]
        let link = c.pointee.link
        var i = 0
        while i < link.session.events.count {
            let event = link.session.events[i]
            i += 1
            switch event {
            case .headers(let stream, let kind, let fields, let endStream):
                guard let s = upstreamStreamSlot(cfd, link, stream) else { continue }
                let u = table[s]
                if kind == .trailers {
                    if u.pointee.stream.requestChunked {
                        if (try? ChunkedBodyWriter.appendLastChunk(trailers: link.session.fields(fields), into: &u.pointee.inBuf)) == nil {
                            try? ChunkedBodyWriter.appendLastChunk(trailers: nil, into: &u.pointee.inBuf)
                        }
                    }
                } else {
                    let method = methodOfExchange(using: u)
                    do {
                        let head = try H2UpstreamResponseTranslator.writeHTTP1Head(link.session.fields(fields), endStream: endStream,
                                                                                   requestMethod: method, into: &u.pointee.inBuf)
                        if head.body == .chunked { u.pointee.stream.requestChunked = true }
                        if endStream && head.body == .chunked { try? ChunkedBodyWriter.appendLastChunk(trailers: nil, into: &u.pointee.inBuf) }
                    } catch {
                        _ = link.session.resetStream(stream, code: .protocolError)
                        u.pointee.stream.closed = true
                        wakeExchange(of: u, failing: .upstreamMalformedResponse)
                        continue
                    }
                }
                wakeExchange(of: u, failing: nil)
            case .data(let stream, let payload, let endStream):
                let bytes = link.session.payload(payload)
                guard let s = upstreamStreamSlot(cfd, link, stream) else {
                    link.session.consume(stream: stream, bytes: bytes.count)
                    continue
                }
                let u = table[s]
                if u.pointee.stream.requestChunked {
                    if bytes.count > 0 { ChunkedBodyWriter.appendChunk(bytes, into: &u.pointee.inBuf) }
                    if endStream { try? ChunkedBodyWriter.appendLastChunk(trailers: nil, into: &u.pointee.inBuf) }
                } else {
                    u.pointee.inBuf.append(bytes)
                }
                u.pointee.stream.unconsumed += bytes.count
                wakeExchange(of: u, failing: nil)
            case .streamClosed(let stream, let code):
                guard let s = upstreamStreamSlot(cfd, link, stream) else { continue }
                let u = table[s]
                u.pointee.stream.closed = true
                if code == .refusedStream {
                    // Never processed (RFC 9113 §8.7): safe to send again elsewhere.
                    u.pointee.exchangesServed = 1
                }
                // Like a closed HTTP/1.1 connection: the pump decides whether the response was whole.
                u.pointee.readEOF = true
                wakeExchange(of: u, failing: nil)
            case .bodyWritable(let stream):
                guard let s = upstreamStreamSlot(cfd, link, stream) else { continue }
                table[s].pointee.canWrite = true
                wakeExchange(of: table[s], failing: nil)
            case .goAway:
                link.goingAway = true
            case .headerListTooLarge, .remoteSettings:
                break
            }
        }
        link.session.removeAllEvents()
        if c.pointee.kind == .upstream, link.goingAway, link.streamSlots.isEmpty {
            closeUpstream(cfd, failing: .upstreamReset)
        }
    }

    /// The stream slot of upstream `stream` on connection `cfd`, if still open.
    private func upstreamStreamSlot(_ cfd: Int32, _ link: H2Link, _ stream: Int32) -> Int32? {
        guard let s = link.streamsByID[stream] else { return nil }
        let u = table[s]
        guard u.pointee.kind == .upstream, u.pointee.stream.parentFD == cfd, u.pointee.stream.id == stream,
              u.pointee.stream.parentGeneration == table[cfd].pointee.generation else { return nil }
        return s
    }

    /// The request method of the exchange an upstream stream serves (HEAD responses have no body).
    private func methodOfExchange(using u: UnsafeMutablePointer<Connection>) -> HTTPMethod {
        let fd = u.pointee.downstreamFD
        guard downstreamIsCurrent(fd, for: u) else { return .get }
        return table[fd].pointee.exchange.method
    }

    /// Runs the exchange an upstream stream serves, after its stream changed.
    private func wakeExchange(of u: UnsafeMutablePointer<Connection>, failing kind: ProxyError.Kind?) {
        let fd = u.pointee.downstreamFD
        guard downstreamIsCurrent(fd, for: u) else {
            abandonUpstream(u.pointee.fd)
            return
        }
        if let kind {
            attemptFailed(fd, kind)
        } else {
            driveDownstream(fd)
        }
    }

    /// The pump's "socket write" for an upstream stream: the first call submits the HTTP/1.1
    /// request head as HEADERS; body bytes are de-framed into DATA, no more than the stream window
    /// ahead of what the upstream has taken (`.bodyWritable` resumes); the end of the body ends
    /// the stream (with the chunked trailers as trailing HEADERS).
    func upstreamStreamWrite(_ u: UnsafeMutablePointer<Connection>, _ first: UnsafeRawBufferPointer,
                             _ second: UnsafeRawBufferPointer) -> SocketOps.IOResult {
        guard !u.pointee.stream.closed, let link = parentLink(u) else { return .error(ECONNRESET) }
        var consumed = 0
        if !u.pointee.stream.requestSubmitted {
            guard first.count > 0 else { return .bytes(0) }
            let status: ParseStatus
            do {
                status = try HeadParser.parseRequest(first, limits: snapshot.headLimits, into: &upstreamRequestHead)
            } catch {
                return .error(EPROTO)
            }
            guard status == .complete else { return .error(EPROTO) }
            do {
                _ = try H2UpstreamRequestTranslator.writeHeaderBlock(upstreamRequestHead, from: first,
                                                                     scheme: u.pointee.tls == nil ? .http : .https, into: &upstreamFields)
            } catch {
                return .error(EPROTO)
            }
            let framing = upstreamRequestHead.framing
            let endStream: Bool
            if case .none = framing { endStream = true } else { endStream = false }
            switch link.session.submitRequest(fields: upstreamFields, endStream: endStream) {
            case .success(let id):
                u.pointee.stream.id = id
                link.streamsByID[id] = u.pointee.fd
            case .failure:
                return .error(EPROTO)
            }
            u.pointee.stream.requestSubmitted = true
            u.pointee.stream.requestEnded = endStream
            u.pointee.exchange.requestTracker = BodyTracker(framing: framing)
            u.pointee.upstreamHead.clear()
            consumed = first.count
            queueFlush(u.pointee.stream.parentFD)
        } else {
            consumed = first.count
        }
        guard second.count > 0, !u.pointee.stream.requestEnded else { return .bytes(consumed + (u.pointee.stream.requestEnded ? second.count : 0)) }
        let stream = u.pointee.stream.id
        let room = Worker.streamWindow - link.session.bufferedBody(stream: stream)
        guard room > 0 else { return consumed > 0 ? .bytes(consumed) : .wouldBlock }
        let chunk = UnsafeRawBufferPointer(rebasing: second[0..<min(room, second.count)])
        let session = link.session
        let n: Int
        do {
            n = try u.pointee.exchange.requestTracker.consume(chunk) { payload in
                _ = session.appendBody(stream: stream, payload)
            } trailer: { raw in
                u.pointee.upstreamHead.append(raw)
            }
        } catch {
            return .error(EPROTO)
        }
        if u.pointee.exchange.requestTracker.isComplete {
            let trailers = u.pointee.upstreamHead.readableBytes > 0
                ? (try? TrailerFields.parse(u.pointee.upstreamHead.readable)) : nil
            _ = session.finishBody(stream: stream, trailers: trailers.flatMap { $0.count > 0 ? $0 : nil })
            u.pointee.stream.requestEnded = true
        }
        queueFlush(u.pointee.stream.parentFD)
        return .bytes(consumed + n)
    }

    /// Response bytes of an upstream stream left its buffer for the client: return them to the
    /// upstream's window, so it never sends more than the stream window ahead of the client.
    func upstreamStreamDrained(_ u: UnsafeMutablePointer<Connection>) {
        let buffered = u.pointee.inBuf.readableBytes
        let give = u.pointee.stream.unconsumed - buffered
        guard give > 0, !u.pointee.stream.closed, let link = parentLink(u) else { return }
        u.pointee.stream.unconsumed -= give
        link.session.consume(stream: u.pointee.stream.id, bytes: give)
        queueFlush(u.pointee.stream.parentFD)
    }

    /// Frees an upstream stream slot, resetting the stream when it is still open.
    func releaseUpstreamStream(_ s: Int32) {
        let u = table[s]
        if let link = parentLink(u) {
            if !u.pointee.stream.closed && u.pointee.stream.requestSubmitted {
                _ = link.session.resetStream(u.pointee.stream.id, code: .cancel)
                queueFlush(u.pointee.stream.parentFD)
            }
            link.remove(slot: s)
            if u.pointee.stream.requestSubmitted { link.streamsByID.removeValue(forKey: u.pointee.stream.id) }
            let p = u.pointee.stream.parentFD
            let parent = table[p]
            if link.streamSlots.isEmpty && parent.pointee.upstreamPhase == .active {
                if link.goingAway || draining || !pools.pools[link.poolIndex].current {
                    queueFlush(p)
                    closeUpstream(p, failing: .upstreamReset)
                } else {
                    parent.pointee.upstreamPhase = .idle
                    arm(p, .poolIdle, after: pools.pools[link.poolIndex].idleTimeoutNanos)
                }
            }
        }
        u.pointee.kind = .free
        u.pointee.generation &+= 1
        u.pointee.deadline = 0
        shrinkBuffers(u)
        table.releaseVirtual(s)
    }
}
