// Worker+Pump: moving an exchange's bytes in both directions with back-pressure.
import Glibc
import TracegateHTTP

extension Worker {
    /// The most a connection buffers in one direction before it stops reading (back-pressure).
    static let streamWindow = 64 * 1024

    /// Moves everything that can move for the exchange on downstream `fd`, until nothing can:
    /// request body in, request out, response in, response out; then completes the exchange.
    ///
    /// Back-pressure falls out of the buffer rules: a side is read only while its buffer has room,
    /// and room is made only by writing to the other side. Readiness is edge-triggered and tracked
    /// in `canRead`/`canWrite`, so a side that was not read because of back-pressure is read as soon
    /// as room appears, without another epoll event.
    func pump(_ fd: Int32) {
        let d = table[fd]
        var progress = true
        while progress && d.pointee.kind == .downstream && d.pointee.phase == .proxying {
            progress = false
            let u = attachedUpstream(d)

            // 0. The request is all in but the client hung up: notice it now, not when the
            // upstream answers (nginx's broken-connection check), so a client that gives up frees
            // its upstream connection, its queue place and its thresholds at once, whether the
            // exchange is connecting, waiting in the pending queue, backing off or waiting for the head.
            // A request held by a fault delay is checked with its body still arriving: nothing
            // reads it before the hold ends, and the bytes read here are scanned then as usual.
            if d.pointee.peerHungUp && d.pointee.canRead && !d.pointee.isStream
                && (d.pointee.exchange.requestTracker.isComplete || d.pointee.exchange.faultHeld)
                && !d.pointee.exchange.responseStarted {
                switch checkClientGone(fd) {
                case .progress: progress = true
                case .stalled: break
                case .finished: return
                }
            }

            if let u, u.pointee.upstreamPhase == .active {
                // 1. Request body from the client.
                if !d.pointee.exchange.requestTracker.isComplete && d.pointee.canRead {
                    switch readRequestBody(fd) {
                    case .progress: progress = true
                    case .stalled: break
                    case .finished: return
                    }
                }
                // 2. Validate its framing.
                if !scanRequestBody(fd) { return }
                // 3. Send head and body upstream.
                let headSent = d.pointee.exchange.upstreamHeadSent
                let sent = d.pointee.exchange.requestSent
                let scanned = d.pointee.exchange.requestScanned
                let headPending = headSent < d.pointee.upstreamHead.readableBytes
                if u.pointee.canWrite && (headPending || sent < scanned) {
                    let head = d.pointee.upstreamHead.readable
                    let first = UnsafeRawBufferPointer(rebasing: head[headSent...])
                    let body = UnsafeRawBufferPointer(rebasing: d.pointee.inBuf.readable[sent..<scanned])
                    switch upstreamWrite(u, first, body) {
                    case .bytes(let n):
                        let h = min(n, first.count)
                        d.pointee.exchange.upstreamHeadSent += h
                        d.pointee.exchange.requestSent += n - h
                        if n < first.count + body.count { u.pointee.canWrite = false }
                        if d.pointee.isStream { streamForwarded(fd, bodyBytes: n - h) }
                        if d.pointee.exchange.mirror.phase == .waiting { mirrorRequestSent(fd) }
                        progress = true
                    case .wouldBlock:
                        u.pointee.canWrite = false
                    case .eof, .error:
                        upstreamFailed(fd, .upstreamReset)
                        return
                    }
                }
                // 4. Response bytes from the upstream.
                if u.pointee.canRead && !u.pointee.readEOF
                    && !(d.pointee.exchange.responseHeadParsed && d.pointee.exchange.responseTracker.isComplete) {
                    switch readResponse(u) {
                    case .progress: progress = true
                    case .stalled: break
                    case .finished:
                        upstreamFailedOrEnded(fd)
                        return
                    }
                }
                // 5. Response head(s).
                if !d.pointee.exchange.responseHeadParsed {
                    if u.pointee.inBuf.readableBytes > 0 {
                        switch parseResponseHead(fd, u) {
                        case .progress: progress = true
                        case .stalled: break
                        case .finished: return
                        }
                    }
                    if !d.pointee.exchange.responseHeadParsed && u.pointee.readEOF && d.pointee.phase == .proxying {
                        upstreamFailed(fd, .upstreamReset)
                        return
                    }
                }
                // 6. Validate the response body's framing.
                if d.pointee.exchange.responseHeadParsed && !scanResponseBody(fd, u) { return }
            }

            // 7. Response bytes (ours or the upstream's) to the client.
            if d.pointee.canWrite {
                switch writeResponse(fd, u) {
                case .progress: progress = true
                case .stalled: break
                case .finished: return
                }
            }
            if let u, u.pointee.isStream, u.pointee.stream.unconsumed > 0 { upstreamStreamDrained(u) }

            // 8. Done?
            let upstreamDone = u == nil || d.pointee.exchange.responseTracker.isComplete
                || (u!.pointee.readEOF && isUntilClose(d.pointee.exchange.responseFraming))
            if d.pointee.exchange.responseHeadParsed && upstreamDone && d.pointee.exchange.responseScanned == 0
                && d.pointee.outBuf.readableBytes == 0 {
                finishExchange(fd)
                return
            }
        }
    }

    enum PumpStep { case progress, stalled, finished }

    func attachedUpstream(_ d: UnsafeMutablePointer<Connection>) -> UnsafeMutablePointer<Connection>? {
        let ufd = d.pointee.exchange.upstreamFD
        guard ufd >= 0 else { return nil }
        let u = table[ufd]
        guard u.pointee.kind == .upstream, u.pointee.generation == d.pointee.exchange.upstreamGeneration else { return nil }
        return u
    }

    func isUntilClose(_ framing: BodyFraming) -> Bool {
        if case .untilClose = framing { return true }
        return false
    }

    /// The client closed or reset mid-exchange: logged as 499 (nginx's "client closed request").
    private func clientWentAway(_ fd: Int32) -> PumpStep {
        counters.add(.downstreamAborted)
        table[fd].pointee.exchange.status = 499
        abortDownstream(fd)
        return .finished
    }

    /// Reads request body bytes into the downstream buffer. The request stays whole in the buffer
    /// (so it can be replayed by a retry) until the buffer holds the stream window (64 KiB, the
    /// replay buffer); only then is room made by dropping bytes already sent upstream, after which
    /// the request can no longer be replayed.
    private func readRequestBody(_ fd: Int32) -> PumpStep {
        let d = table[fd]
        if d.pointee.inBuf.writableBytes == 0 {
            if d.pointee.inBuf.readableBytes >= Worker.streamWindow {
                let sent = d.pointee.exchange.requestSent
                if sent > 0 {
                    d.pointee.inBuf.moveReaderIndex(by: sent)
                    d.pointee.exchange.requestScanned -= sent
                    d.pointee.exchange.requestSent = 0
                    d.pointee.exchange.replayable = false
                }
                if d.pointee.inBuf.readableBytes >= Worker.streamWindow { return .stalled }
            }
            d.pointee.inBuf.reserve(minimumWritable: Worker.readChunk)
        }
        return readClientBytes(fd)
    }

    /// One read from the client into the room its buffer has: end of stream or an error is the
    /// client going away (499).
    private func readClientBytes(_ fd: Int32) -> PumpStep {
        let d = table[fd]
        let room = d.pointee.inBuf.writable
        switch transportRead(d, into: room) {
        case .bytes(let n):
            d.pointee.inBuf.moveWriterIndex(by: n)
            counters.add(.bytesIn, UInt64(n))
            noteRead(d, n, of: room.count)
            return .progress
        case .wouldBlock:
            d.pointee.canRead = false
            return .stalled
        case .eof, .error:
            return clientWentAway(fd)
        }
    }

    /// Reads what follows a complete request after the peer signalled a hang-up: end of stream
    /// means the client went away (499); bytes are a pipelined next request, kept in the buffer.
    /// Waits (canRead cleared) once the buffer holds a stream window.
    private func checkClientGone(_ fd: Int32) -> PumpStep {
        let d = table[fd]
        if d.pointee.inBuf.readableBytes >= Worker.streamWindow {
            d.pointee.canRead = false
            return .stalled
        }
        d.pointee.inBuf.reserve(minimumWritable: Worker.readChunk)
        // A short read changes nothing here: `noteShortRead` keeps reading after a hang-up.
        return readClientBytes(fd)
    }

    /// Runs the request's framing validator over newly read bytes. False when the exchange ended.
    private func scanRequestBody(_ fd: Int32) -> Bool {
        let d = table[fd]
        let scanned = d.pointee.exchange.requestScanned
        guard !d.pointee.exchange.requestTracker.isComplete, scanned < d.pointee.inBuf.readableBytes else { return true }
        let fresh = UnsafeRawBufferPointer(rebasing: d.pointee.inBuf.readable[scanned...])
        do {
            let n = try d.pointee.exchange.requestTracker.consume(fresh)
            d.pointee.exchange.requestScanned += n
            d.pointee.exchange.requestBodyBytes += UInt64(n)
        } catch {
            fail(fd, ProxyError(kind: .badRequest(error)))
            return false
        }
        let limit = snapshot.maxRequestBodyBytes
        if limit > 0 && d.pointee.exchange.requestTracker.payloadBytes > limit {
            fail(fd, ProxyError(kind: .bodyTooLarge))
            return false
        }
        return true
    }

    /// Reads response bytes into the upstream buffer while it is under the stream window.
    private func readResponse(_ u: UnsafeMutablePointer<Connection>) -> PumpStep {
        if u.pointee.inBuf.writableBytes < 1024 {
            let limit = max(Worker.streamWindow, snapshot.headLimits.maxHeadBytes + 1)
            if u.pointee.inBuf.readableBytes >= limit { return .stalled }
            u.pointee.inBuf.reserve(minimumWritable: Worker.readChunk)
        }
        let room = u.pointee.inBuf.writable
        switch transportRead(u, into: room) {
        case .bytes(let n):
            u.pointee.inBuf.moveWriterIndex(by: n)
            noteRead(u, n, of: room.count)
            return .progress
        case .wouldBlock:
            u.pointee.canRead = false
            return .stalled
        case .eof:
            u.pointee.readEOF = true
            u.pointee.canRead = false
            return .progress
        case .error:
            u.pointee.readEOF = true
            u.pointee.canRead = false
            return .finished
        }
    }

    /// A read error on the upstream: before the head it is a failed attempt; after, a truncated response.
    private func upstreamFailedOrEnded(_ fd: Int32) {
        let d = table[fd]
        if d.pointee.exchange.responseHeadParsed {
            counters.add(.upstreamResets)
            abortDownstream(fd)
        } else {
            upstreamFailed(fd, .upstreamReset)
        }
    }

    /// Validates the response body's framing over newly read bytes. False when the exchange ended.
    private func scanResponseBody(_ fd: Int32, _ u: UnsafeMutablePointer<Connection>) -> Bool {
        let d = table[fd]
        if d.pointee.exchange.dechunkResponse { return dechunkResponseBody(fd, u) }
        let available = u.pointee.inBuf.readableBytes
        let scanned = d.pointee.exchange.responseScanned
        if !d.pointee.exchange.responseTracker.isComplete && scanned < available {
            let fresh = UnsafeRawBufferPointer(rebasing: u.pointee.inBuf.readable[scanned...])
            do {
                // Only an exchange whose shadow compares bodies hashes its payload on the way.
                let n = d.pointee.exchange.mirror.digesting
                    ? try d.pointee.exchange.responseTracker.consume(fresh) { d.pointee.exchange.mirror.digest.update($0) }
                    : try d.pointee.exchange.responseTracker.consume(fresh)
                d.pointee.exchange.responseScanned += n
            } catch {
                counters.add(.upstreamResets)
                abortDownstream(fd)
                return false
            }
        }
        if d.pointee.exchange.responseTracker.isComplete && d.pointee.exchange.responseScanned < u.pointee.inBuf.readableBytes {
            // Bytes past the end of the response: the upstream is out of sync; never reuse it.
            d.pointee.exchange.upstreamKeepAlive = false
        }
        // The upstream closed mid-body. Once every validated byte is out, the client must see a truncated
        // response (a close), not a clean end; bytes the tracker could not consume (half a chunk-size
        // line) can never complete the message.
        if !d.pointee.exchange.responseTracker.isComplete && u.pointee.readEOF && !isUntilClose(d.pointee.exchange.responseFraming) {
            d.pointee.exchange.upstreamKeepAlive = false
            if d.pointee.outBuf.readableBytes == 0 && d.pointee.exchange.responseScanned == 0 {
                counters.add(.upstreamResets)
                abortDownstream(fd)
                return false
            }
        }
        return true
    }

    /// HTTP/1.0 client, chunked upstream body: copies the payload into the client's buffer (a rare
    /// path, so a copy is fine), while that buffer is under the stream window; the exchange ends
    /// with the connection. An upstream that closes mid-body aborts the client as usual.
    private func dechunkResponseBody(_ fd: Int32, _ u: UnsafeMutablePointer<Connection>) -> Bool {
        let d = table[fd]
        if !d.pointee.exchange.responseTracker.isComplete && u.pointee.inBuf.readableBytes > 0
            && d.pointee.outBuf.readableBytes < Worker.streamWindow {
            do {
                let n = try d.pointee.exchange.responseTracker.consume(u.pointee.inBuf.readable) { payload in
                    d.pointee.outBuf.append(payload)
                    if d.pointee.exchange.mirror.digesting { d.pointee.exchange.mirror.digest.update(payload) }
                } trailer: { raw in
                    if d.pointee.isStream { self.streamTrailers[fd, default: []].append(contentsOf: raw) }
                }
                u.pointee.inBuf.moveReaderIndex(by: n)
            } catch {
                counters.add(.upstreamResets)
                abortDownstream(fd)
                return false
            }
        }
        if !d.pointee.exchange.responseTracker.isComplete && u.pointee.readEOF && d.pointee.outBuf.readableBytes == 0 {
            counters.add(.upstreamResets)
            abortDownstream(fd)
            return false
        }
        if d.pointee.exchange.responseTracker.isComplete && u.pointee.inBuf.readableBytes > 0 {
            d.pointee.exchange.upstreamKeepAlive = false
        }
        return true
    }

    /// Writes our pending bytes (heads we wrote) and the upstream's validated body bytes to the client.
    private func writeResponse(_ fd: Int32, _ u: UnsafeMutablePointer<Connection>?) -> PumpStep {
        let d = table[fd]
        if d.pointee.isStream { return streamWriteResponse(fd) }
        let scanned = d.pointee.exchange.responseScanned
        let own = d.pointee.outBuf.readable
        let body = u.map { UnsafeRawBufferPointer(rebasing: $0.pointee.inBuf.readable[0..<scanned]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        guard own.count + body.count > 0 else { return .stalled }
        switch transportWrite(d, own, body) {
        case .bytes(let n):
            let h = min(n, own.count)
            d.pointee.outBuf.moveReaderIndex(by: h)
            if n > h, let u {
                u.pointee.inBuf.moveReaderIndex(by: n - h)
                d.pointee.exchange.responseScanned -= n - h
            }
            d.pointee.exchange.responseStarted = true
            d.pointee.exchange.responseBytes += UInt64(n)
            counters.add(.bytesOut, UInt64(n))
            if n < own.count + body.count { d.pointee.canWrite = false }
            return .progress
        case .wouldBlock:
            d.pointee.canWrite = false
            return .stalled
        case .eof, .error:
            return clientWentAway(fd)
        }
    }
}
