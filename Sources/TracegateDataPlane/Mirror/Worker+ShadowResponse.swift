// Worker+ShadowResponse: sending the copy, and draining the shadow's response.
import TracegateHTTP

extension Worker {
    /// Response bytes one shadow may read per call of `driveShadow`.
    static let shadowReadShare = 256 * 1024

    /// Resumes the shadows that used up their share in this loop iteration (still the same
    /// exchange on the same connection).
    func resumeShadows() {
        let queued = mirror.resumeQueue
        mirror.resumeQueue.removeAll(keepingCapacity: true)
        for entry in queued {
            let u = table[entry.fd]
            guard u.pointee.kind == .upstream, u.pointee.role == .shadow, u.pointee.generation == entry.generation,
                  u.pointee.shadow.serial == entry.serial else { continue }
            driveShadow(entry.fd)
        }
    }

    /// Moves everything that can move for the shadow exchange on `ufd`: the request copy out,
    /// response bytes in, the head parsed, the body validated (and hashed when bodies are
    /// compared) and discarded, until nothing can or the exchange is over.
    ///
    /// Only the shadow's own slot is touched: whatever the shadow does, the primary's exchange
    /// sees nothing of it until the comparison.
    ///
    /// A shadow gets at most `shadowReadShare` bytes per call: one sending a large body fast would
    /// otherwise keep the loop from every primary on the worker. Past its share, with bytes still
    /// readable, it is queued and resumed at the end of the loop iteration (edge-triggered epoll
    /// would not report those bytes again).
    func driveShadow(_ ufd: Int32) {
        let u = table[ufd]
        var progress = true
        var read = 0
        while progress {
            guard u.pointee.kind == .upstream, u.pointee.upstreamPhase == .active, u.pointee.shadow.serial != 0 else { return }
            if read >= Worker.shadowReadShare && u.pointee.canRead {
                mirror.resumeQueue.append((ufd, u.pointee.generation, u.pointee.shadow.serial))
                return
            }
            progress = false
            if u.pointee.canWrite && u.pointee.outBuf.readableBytes > 0 {
                switch transportWrite(u, u.pointee.outBuf.readable, UnsafeRawBufferPointer(start: nil, count: 0)) {
                case .bytes(let n):
                    u.pointee.outBuf.moveReaderIndex(by: n)
                    if u.pointee.outBuf.readableBytes > 0 { u.pointee.canWrite = false }
                    progress = true
                case .wouldBlock:
                    u.pointee.canWrite = false
                case .eof, .error:
                    finishShadow(ufd, .reset)
                    return
                }
            }
            if u.pointee.canRead && !u.pointee.readEOF {
                if u.pointee.inBuf.writableBytes < 1024 { u.pointee.inBuf.reserve(minimumWritable: Worker.readChunk) }
                let room = u.pointee.inBuf.writable
                switch transportRead(u, into: room) {
                case .bytes(let n):
                    u.pointee.inBuf.moveWriterIndex(by: n)
                    noteRead(u, n, of: room.count)
                    read += n
                    progress = true
                case .wouldBlock:
                    u.pointee.canRead = false
                case .eof:
                    u.pointee.readEOF = true
                    u.pointee.canRead = false
                    progress = true
                case .error:
                    finishShadow(ufd, .reset)
                    return
                }
            }
            switch consumeShadowResponse(ufd) {
            case .progress: progress = true
            case .stalled: break
            case .finished: return
            }
        }
    }

    /// Parses the response head (1xx heads are skipped), then runs the body's framing validator
    /// over what arrived and drops those bytes. Ends the exchange when the body is complete, the
    /// upstream closed, or the response is malformed.
    private func consumeShadowResponse(_ ufd: Int32) -> PumpStep {
        let u = table[ufd]
        if !u.pointee.shadow.headParsed {
            let pending = u.pointee.inBuf.readable
            if pending.count > 0 {
                let status: ParseStatus
                do {
                    status = try HeadParser.parseResponse(pending, requestMethod: u.pointee.shadow.method, limits: snapshot.headLimits,
                                                          into: &mirror.responseHead)
                } catch {
                    finishShadow(ufd, .malformedResponse)
                    return .finished
                }
                if status == .complete {
                    let code = mirror.responseHead.statusCode
                    u.pointee.inBuf.moveReaderIndex(by: mirror.responseHead.headLength)
                    if code == 101 {
                        finishShadow(ufd, .malformedResponse)  // nothing asked to switch protocols
                        return .finished
                    }
                    if code < 200 { return .progress }  // 100 Continue, 103 Early Hints: the final head follows
                    u.pointee.shadow.headParsed = true
                    u.pointee.shadow.status = UInt16(truncatingIfNeeded: code)
                    u.pointee.shadow.tracker = BodyTracker(framing: mirror.responseHead.framing)
                    u.pointee.shadow.keepAlive = mirror.responseHead.keepAlive
                    if u.pointee.shadow.traced && u.pointee.record.attemptLog.count > 0 {
                        u.pointee.record.attemptLog[0].headOffsetNanos = now &- u.pointee.shadow.originNanos
                    }
                    return .progress
                }
            }
            if u.pointee.readEOF {
                finishShadow(ufd, .reset)  // closed before a whole head
                return .finished
            }
            return .stalled
        }
        var progress = false
        if !u.pointee.shadow.tracker.isComplete && u.pointee.inBuf.readableBytes > 0 {
            let fresh = u.pointee.inBuf.readable
            do {
                let n = u.pointee.shadow.compareBody
                    ? try u.pointee.shadow.tracker.consume(fresh) { u.pointee.shadow.digest.update($0) }
                    : try u.pointee.shadow.tracker.consume(fresh)
                if n > 0 {
                    u.pointee.inBuf.moveReaderIndex(by: n)
                    progress = true
                }
            } catch {
                finishShadow(ufd, .malformedResponse)
                return .finished
            }
        }
        if u.pointee.shadow.tracker.isComplete {
            // Bytes past the end of the response: out of sync, never reused (finishShadow sees them).
            finishShadow(ufd, .response)
            return .finished
        }
        if u.pointee.readEOF {
            if case .untilClose = u.pointee.shadow.tracker.framing {
                finishShadow(ufd, .response)
            } else {
                finishShadow(ufd, .reset)  // truncated body
            }
            return .finished
        }
        return progress ? .progress : .stalled
    }
}
