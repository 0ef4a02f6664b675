// Worker+H2Stream: the places where a stream slot's exchange meets its HTTP/2 stream.
import TracegateH2
import TracegateHTTP

extension Worker {
    /// The link of a stream slot's parent connection, if that connection is still the one the
    /// stream opened on.
    func parentLink(_ c: UnsafeMutablePointer<Connection>) -> H2Link? {
        let p = c.pointee.stream.parentFD
        guard p >= 0, table.contains(p) else { return nil }
        let parent = table[p]
        guard parent.pointee.generation == c.pointee.stream.parentGeneration, parent.pointee.session != nil else { return nil }
        return parent.pointee.link
    }

    /// The pump's "write to the client" for a stream slot. The exchange wrote an HTTP/1.1
    /// response into the slot's `outBuf` (head, then de-chunked payload): the head becomes
    /// HEADERS, the payload DATA buffered in the session, no more than the stream window ahead of
    /// what the client has taken (back-pressure: `.bodyWritable` resumes the slot).
    func streamWriteResponse(_ s: Int32) -> PumpStep {
        let c = table[s]
        guard !c.pointee.stream.closed, let link = parentLink(c) else {
            c.pointee.exchange.status = c.pointee.exchange.status == 0 ? 499 : c.pointee.exchange.status
            abortDownstream(s)
            return .finished
        }
        let stream = c.pointee.stream.id
        if !c.pointee.stream.headSubmitted {
            let own = c.pointee.outBuf.readable
            guard own.count > 0 else { return .stalled }
            let status: ParseStatus
            do {
                status = try HeadParser.parseResponse(own, requestMethod: c.pointee.exchange.method,
                                                      limits: snapshot.headLimits, into: &streamResponseHead)
            } catch {
                abortDownstream(s)  // our own head does not parse: a bug, but never a crash
                return .finished
            }
            guard status == .complete else { return .stalled }
            if streamResponseHead.statusCode < 200 {
                // 1xx: HTTP/2 carries them as extra HEADERS (RFC 9113 §8.1); 100 Continue is
                // Tracegate's business with the upstream, so only the others go on.
                if streamResponseHead.statusCode != 100,
                   (try? H2ResponseTranslator.writeInformationalBlock(streamResponseHead, from: own, into: &streamFields)) != nil {
                    _ = link.session.submitInformational(stream: stream, fields: streamFields)
                }
                c.pointee.outBuf.moveReaderIndex(by: streamResponseHead.headLength)
                queueFlush(c.pointee.stream.parentFD)
                return .progress
            }
            let hasBody = H2ResponseTranslator.writeHeaderBlock(streamResponseHead, from: own, into: &streamFields)
            c.pointee.outBuf.moveReaderIndex(by: streamResponseHead.headLength)
            if c.pointee.outBuf.readableBytes == 0 { c.pointee.outBuf.clear() }
            if link.session.submitResponse(stream: stream, fields: streamFields, endStream: !hasBody) != nil {
                abortDownstream(s)
                return .finished
            }
            c.pointee.stream.headSubmitted = true
            c.pointee.stream.bodyOpen = hasBody
            c.pointee.exchange.responseStarted = true
            queueFlush(c.pointee.stream.parentFD)
            return .progress
        }
        let pending = c.pointee.outBuf.readableBytes
        guard pending > 0 else { return .stalled }
        guard c.pointee.stream.bodyOpen else {
            c.pointee.outBuf.clear()  // a body HTTP/2 has no place for (HEAD, 304): dropped
            return .progress
        }
        let room = Worker.streamWindow - link.session.bufferedBody(stream: stream)
        guard room > 0 else {
            c.pointee.canWrite = false
            return .stalled
        }
        let n = min(room, pending)
        _ = link.session.appendBody(stream: stream, UnsafeRawBufferPointer(rebasing: c.pointee.outBuf.readable[0..<n]))
        c.pointee.outBuf.moveReaderIndex(by: n)
        if c.pointee.outBuf.readableBytes == 0 { c.pointee.outBuf.clear() }
        c.pointee.exchange.responseBytes += UInt64(n)
        queueFlush(c.pointee.stream.parentFD)
        return .progress
    }

    /// Request body bytes of a stream went upstream: return them to the client's window, and
    /// drop them from the slot once the request can no longer be replayed anyway.
    func streamForwarded(_ s: Int32, bodyBytes: Int) {
        let c = table[s]
        let give = min(bodyBytes, c.pointee.stream.unconsumed)
        if give > 0, !c.pointee.stream.closed, let link = parentLink(c) {
            c.pointee.stream.unconsumed -= give
            link.session.consume(stream: c.pointee.stream.id, bytes: give)
            queueFlush(c.pointee.stream.parentFD)
        }
        let sent = c.pointee.exchange.requestSent
        if sent >= Worker.streamWindow {
            c.pointee.inBuf.moveReaderIndex(by: sent)
            c.pointee.exchange.requestScanned -= sent
            c.pointee.exchange.requestSent = 0
            c.pointee.exchange.replayable = false
        }
    }

    /// The exchange of a stream slot is complete (response fully handed to the session): end the
    /// stream's body (with trailers the upstream sent), free the slot.
    func finishStream(_ s: Int32) {
        let c = table[s]
        if !c.pointee.stream.closed, let link = parentLink(c) {
            let stream = c.pointee.stream.id
            if c.pointee.stream.bodyOpen {
                let trailers = streamTrailers.removeValue(forKey: s).flatMap { raw in
                    raw.withUnsafeBytes { try? TrailerFields.parse($0) }
                }
                _ = link.session.finishBody(stream: stream, trailers: trailers.flatMap { $0.count > 0 ? $0 : nil })
            }
            if !c.pointee.stream.requestEnded {
                // The response is complete before the request: the rest of it is not wanted
                // (RFC 9113 §8.1); the session resets the stream once the response is out.
                link.session.discardRequest(stream: stream)
            }
            c.pointee.stream.closed = true
            queueFlush(c.pointee.stream.parentFD)
        }
        releaseStreamSlot(s)
    }

    /// Frees a stream slot (exchange over or aborted), resetting its stream when it is still open.
    func releaseStreamSlot(_ s: Int32) {
        let c = table[s]
        if let link = parentLink(c) {
            if !c.pointee.stream.closed {
                _ = link.session.resetStream(c.pointee.stream.id, code: c.pointee.exchange.responseStarted ? .internalError : .cancel)
                queueFlush(c.pointee.stream.parentFD)
            }
            link.remove(slot: s)
            link.streamsByID.removeValue(forKey: c.pointee.stream.id)
            let p = c.pointee.stream.parentFD
            if link.streamSlots.isEmpty && table[p].pointee.kind == .downstream {
                arm(p, .keepAliveIdle, after: snapshot.timeouts.keepAliveIdleNanos)
            }
        }
        if !streamTrailers.isEmpty { streamTrailers.removeValue(forKey: s) }
        if !pendingDebug.isEmpty { pendingDebug.removeValue(forKey: s) }
        c.pointee.kind = .free
        c.pointee.generation &+= 1
        c.pointee.deadline = 0
        shrinkBuffers(c)
        table.releaseVirtual(s)
    }
}
