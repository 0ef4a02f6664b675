// Worker+H2Downstream: HTTP/2 client connections — preface, frames in, streams out.
import Glibc
import TracegateH2
import TracegateHTTP

extension Worker {
    /// The client connection preface (RFC 9113 §3.4) that starts HTTP/2 with prior knowledge.
    static let h2Preface: StaticString = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

    enum PrefaceMatch { case http2, http1, needMore }

    /// Decides a cleartext connection's protocol from its first bytes: the 24-byte preface means
    /// HTTP/2, any byte that departs from it means HTTP/1.1 (nghttpx and HAProxy sniff the same way;
    /// no HTTP/1.1 request line can start with "PRI * HTTP/2.0").
    static func matchPreface(_ bytes: UnsafeRawBufferPointer) -> PrefaceMatch {
        h2Preface.withUTF8Buffer { preface in
            let n = min(bytes.count, preface.count)
            for i in 0..<n where bytes[i] != preface[i] { return .http1 }
            return n == preface.count ? .http2 : .needMore
        }
    }

    /// Turns a downstream connection into an HTTP/2 one: creates its session and feeds it what
    /// was already read (the preface included).
    func becomeH2(_ fd: Int32) {
        let d = table[fd]
        let session: H2Session
        do {
            session = try H2Session(role: .server, settings: snapshot.http2.settings, limits: snapshot.http2.limits)
        } catch {
            closeDownstream(fd)
            return
        }
        let link = H2Link(session: session)
        d.pointee.session = Unmanaged.passRetained(link).toOpaque()
        d.pointee.phase = .multiplexed
        d.pointee.headParsedCount = 0
        counters.add(.h2Connections)
        disarm(fd)
        if d.pointee.inBuf.readableBytes > 0 {
            let failure = session.receive(d.pointee.inBuf.readable)
            d.pointee.inBuf.clear()
            handleH2Events(fd)
            if let failure { h2ConnectionFailed(fd, failure); return }
        }
        driveH2(fd)
    }

    /// Reads and feeds frames until the socket is drained, handles what they caused, and sends
    /// what the session has to say.
    func driveH2(_ fd: Int32) {
        let d = table[fd]
        guard d.pointee.session != nil else { return }
        let link = d.pointee.link
        while d.pointee.canRead && d.pointee.kind == .downstream && d.pointee.phase == .multiplexed {
            if d.pointee.inBuf.writableBytes < 1024 { d.pointee.inBuf.reserve(minimumWritable: Worker.readChunk) }
            let room = d.pointee.inBuf.writable
            switch transportRead(d, into: room) {
            case .bytes(let n):
                d.pointee.inBuf.moveWriterIndex(by: n)
                counters.add(.bytesIn, UInt64(n))
                noteRead(d, n, of: room.count)
                let failure = link.session.receive(d.pointee.inBuf.readable)
                d.pointee.inBuf.clear()
                handleH2Events(fd)
                if let failure { h2ConnectionFailed(fd, failure); return }
            case .wouldBlock:
                d.pointee.canRead = false
            case .eof, .error:
                closeDownstream(fd)
                return
            }
        }
        guard d.pointee.kind == .downstream, d.pointee.phase == .multiplexed else { return }
        flushH2(fd)
    }

    /// Acts on what the last `receive` (or `send`) reported, stream by stream.
    func handleH2Events(_ fd: Int32) {
        let d = table[fd]
        let link = d.pointee.link
        var i = 0
        while i < link.session.events.count {
            let event = link.session.events[i]
            i += 1
            switch event {
            case .headers(let stream, let kind, let fields, let endStream):
                switch kind {
                case .request:
                    openStream(fd, link, stream: stream, fields: link.session.fields(fields), endStream: endStream)
                case .trailers:
                    if let s = streamSlot(fd, link, stream) { streamTrailers(s, link.session.fields(fields)) }
                default:
                    break  // a server receives no responses; nghttp2 already refuses them
                }
            case .data(let stream, let payload, let endStream):
                let bytes = link.session.payload(payload)
                if let s = streamSlot(fd, link, stream) {
                    streamData(s, bytes, endStream: endStream)
                } else {
                    link.session.consume(stream: stream, bytes: bytes.count)  // a finished stream: keep the window open
                }
            case .headerListTooLarge(let stream, _):
                openRefusedStream(fd, link, stream: stream, ProxyError(kind: .h2HeaderListTooLarge))
            case .streamClosed(let stream, _):
                if let s = streamSlot(fd, link, stream) { streamClosedByPeer(s) }
            case .bodyWritable(let stream):
                if let s = streamSlot(fd, link, stream) {
                    table[s].pointee.canWrite = true
                    pump(s)
                }
            case .goAway:
                link.goingAway = true
            case .remoteSettings:
                break
            }
        }
        link.session.removeAllEvents()
    }

    /// The stream slot serving `stream` on connection `fd`, if it is still open.
    func streamSlot(_ fd: Int32, _ link: H2Link, _ stream: Int32) -> Int32? {
        guard let s = link.streamsByID[stream] else { return nil }
        let c = table[s]
        guard c.pointee.kind != .free, c.pointee.stream.parentFD == fd, c.pointee.stream.id == stream,
              c.pointee.stream.parentGeneration == table[fd].pointee.generation else { return nil }
        return s
    }

    /// A new request stream: a slot, its HTTP/1.1 translation, then the usual exchange.
    private func openStream(_ fd: Int32, _ link: H2Link, stream: Int32, fields: FieldBlock, endStream: Bool) {
        guard let s = newStreamSlot(fd, link, stream: stream) else { return }
        let c = table[s]
        let body: TranslatedBody
        do {
            body = try H2RequestTranslator.writeHTTP1Head(fields, endStream: endStream, into: &c.pointee.inBuf)
        } catch {
            c.pointee.stream.requestEnded = endStream
            respondBeforeExchange(s, ProxyError(kind: .h2MalformedRequest(status: error.status)))
            return
        }
        c.pointee.stream.requestChunked = body == .chunked
        c.pointee.stream.requestEnded = endStream
        driveDownstream(s)
    }

    /// A stream refused before translation (its header list was too large): answered at once.
    private func openRefusedStream(_ fd: Int32, _ link: H2Link, stream: Int32, _ error: ProxyError) {
        guard let s = newStreamSlot(fd, link, stream: stream) else { return }
        table[s].pointee.stream.requestEnded = true
        respondBeforeExchange(s, error)
    }

    /// Takes a virtual slot for a stream and links both ways; refuses the stream when none is left.
    private func newStreamSlot(_ fd: Int32, _ link: H2Link, stream: Int32) -> Int32? {
        guard let s = table.allocateVirtual() else {
            _ = link.session.resetStream(stream, code: .refusedStream)
            counters.add(.h2StreamsRefused)
            return nil
        }
        let parent = table[fd]
        let c = table[s]
        c.pointee.reset(kind: .downstream, fd: s)
        c.pointee.stream.parentFD = fd
        c.pointee.stream.parentGeneration = parent.pointee.generation
        c.pointee.stream.id = stream
        c.pointee.listenerIndex = parent.pointee.listenerIndex
        c.pointee.peer = parent.pointee.peer
        c.pointee.acceptedNanos = parent.pointee.acceptedNanos
        c.pointee.trusted = parent.pointee.trusted
        c.pointee.canWrite = true
        c.pointee.phase = .idle
        link.streamsByID[stream] = s
        link.streamSlots.append(s)
        counters.add(.h2Streams)
        if link.streamSlots.count == 1 { disarm(fd) }  // busy: no idle timer
        return s
    }

    /// DATA for a stream: appended as HTTP/1.1 body bytes (re-chunked when the length is unknown).
    private func streamData(_ s: Int32, _ payload: UnsafeRawBufferPointer, endStream: Bool) {
        let c = table[s]
        if c.pointee.stream.requestChunked {
            if payload.count > 0 { ChunkedBodyWriter.appendChunk(payload, into: &c.pointee.inBuf) }
            if endStream { try? ChunkedBodyWriter.appendLastChunk(trailers: nil, into: &c.pointee.inBuf) }
        } else {
            c.pointee.inBuf.append(payload)
        }
        c.pointee.stream.unconsumed += payload.count
        if endStream { c.pointee.stream.requestEnded = true }
        if c.pointee.phase == .proxying { pump(s) }
    }

    /// Trailers end a chunked request body as its trailer section (RFC 9112 §7.1.2); a request
    /// framed by content-length has nowhere to carry them in HTTP/1.1, so they are dropped.
    private func streamTrailers(_ s: Int32, _ fields: FieldBlock) {
        let c = table[s]
        if c.pointee.stream.requestChunked {
            do {
                try ChunkedBodyWriter.appendLastChunk(trailers: fields, into: &c.pointee.inBuf)
            } catch {
                // Trailers HTTP/1.1 cannot carry (pseudo-headers, connection fields): malformed
                // (RFC 9113 §8.1.2). The body still ends here.
                try? ChunkedBodyWriter.appendLastChunk(trailers: nil, into: &c.pointee.inBuf)
            }
        }
        c.pointee.stream.requestEnded = true
        if c.pointee.phase == .proxying { pump(s) }
    }

    /// The client reset the stream (or the session closed it) before its exchange ended.
    private func streamClosedByPeer(_ s: Int32) {
        let c = table[s]
        c.pointee.stream.closed = true  // the stream is gone: nothing more may be sent on it
        if c.pointee.phase == .proxying {
            counters.add(.downstreamAborted)
            c.pointee.exchange.status = 499
        }
        abortDownstream(s)
    }

    /// A connection-level error (protocol violation, flood): the session queued GOAWAY; send it,
    /// then close, ending every stream.
    func h2ConnectionFailed(_ fd: Int32, _ error: H2Error) {
        counters.add(error.isFlood ? .h2Floods : .h2ProtocolErrors)
        closeWithGoAway(fd)
    }

    /// Ends a failed HTTP/2 connection so the client learns why: the session's last frames (its
    /// GOAWAY) are serialised — a failed session still produces them — every stream is ended, and
    /// the connection closes like an HTTP/1.1 one after an error response: flush, FIN, then linger
    /// reading and discarding. Closing at once with the flood's bytes still unread would make the
    /// kernel send RST, and the client could lose the GOAWAY.
    func closeWithGoAway(_ fd: Int32) {
        let d = table[fd]
        if d.pointee.session != nil {
            _ = d.pointee.link.session.send(into: &d.pointee.outBuf, limit: Worker.streamWindow)
        }
        closeH2Streams(fd)
        guard d.pointee.kind == .downstream else { return }
        d.pointee.inBuf.clear()
        beginClosing(fd)
    }

    /// Queues an HTTP/2 connection for one flush at the end of this loop iteration, so frames of
    /// many streams leave in one write.
    func queueFlush(_ fd: Int32) {
        let c = table[fd]
        guard !c.pointee.flushQueued else { return }
        c.pointee.flushQueued = true
        flushQueue.append(fd)
    }

    /// Flushes every connection queued by `queueFlush` (once per loop iteration).
    func flushQueuedH2() {
        var i = 0
        while i < flushQueue.count {
            let fd = flushQueue[i]
            i += 1
            let c = table[fd]
            c.pointee.flushQueued = false
            guard c.pointee.session != nil else { continue }
            if c.pointee.kind == .downstream, c.pointee.phase == .multiplexed {
                flushH2(fd)
            } else if c.pointee.kind == .upstream {
                flushUpstreamH2(fd)
            }
        }
        flushQueue.removeAll(keepingCapacity: true)
    }

    /// Serialises what the session wants to send and writes it, until the socket or the session
    /// has no more; closes the connection when the session is done with it (GOAWAY exchanged and
    /// no stream left).
    func flushH2(_ fd: Int32) {
        let d = table[fd]
        let link = d.pointee.link
        while true {
            if d.pointee.outBuf.readableBytes < Worker.streamWindow {
                if let failure = link.session.send(into: &d.pointee.outBuf, limit: Worker.streamWindow) {
                    counters.add(failure.isFlood ? .h2Floods : .h2ProtocolErrors)
                    closeWithGoAway(fd)
                    return
                }
                if !link.session.events.isEmpty { handleH2Events(fd) }
                guard d.pointee.kind == .downstream else { return }
            }
            guard d.pointee.outBuf.readableBytes > 0 else { break }
            guard d.pointee.canWrite else { return }
            switch transportWrite(d, d.pointee.outBuf.readable, UnsafeRawBufferPointer(start: nil, count: 0)) {
            case .bytes(let n):
                d.pointee.outBuf.moveReaderIndex(by: n)
                counters.add(.bytesOut, UInt64(n))
                if d.pointee.outBuf.readableBytes == 0 { d.pointee.outBuf.clear() } else { d.pointee.canWrite = false }
            case .wouldBlock:
                d.pointee.canWrite = false
                return
            case .eof, .error:
                closeDownstream(fd)
                return
            }
        }
        if !link.session.wantsRead && !link.session.wantsWrite {
            closeDownstream(fd)
            return
        }
        if link.streamSlots.isEmpty && d.pointee.timerKind == .none {
            arm(fd, .keepAliveIdle, after: snapshot.timeouts.keepAliveIdleNanos)
        }
        if draining && !link.goingAway {
            link.goingAway = true
            _ = link.session.goAway(code: .noError)
            queueFlush(fd)
        }
    }

    /// Ends every stream of a closing HTTP/2 connection and releases its session. The session is
    /// detached first: the streams' clean-up then has no link to send resets on.
    func closeH2Streams(_ fd: Int32) {
        let d = table[fd]
        guard let raw = d.pointee.session else { return }
        let link = d.pointee.link
        d.pointee.session = nil
        for s in link.streamSlots {
            let c = table[s]
            guard c.pointee.kind == .downstream, c.pointee.stream.parentFD == fd else { continue }
            c.pointee.stream.closed = true
            if c.pointee.phase == .proxying && c.pointee.exchange.status == 0 {
                counters.add(.downstreamAborted)
                c.pointee.exchange.status = 499
            }
            abortDownstream(s)
        }
        link.streamSlots.removeAll()
        Unmanaged<H2Link>.fromOpaque(raw).release()
    }
}
