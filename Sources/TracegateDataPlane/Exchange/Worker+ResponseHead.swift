// Worker+ResponseHead: parsing the upstream's response head and rewriting it for the client.
import TracegateHTTP

extension Worker {
    /// Parses one response head from the upstream buffer. 1xx heads are passed on and parsing
    /// continues; 101 to an upgrade request switches to a tunnel; a final head starts the body.
    func parseResponseHead(_ fd: Int32, _ u: UnsafeMutablePointer<Connection>) -> PumpStep {
        let d = table[fd]
        let status: ParseStatus
        do {
            status = try HeadParser.parseResponse(u.pointee.inBuf.readable, requestMethod: d.pointee.exchange.method,
                                                  limits: snapshot.headLimits, into: &responseHead)
        } catch {
            fail(fd, ProxyError(kind: .upstreamMalformedResponse))
            return .finished
        }
        guard status == .complete else { return .stalled }
        let code = responseHead.statusCode
        let source = u.pointee.inBuf.readable

        if code == 101 {
            guard d.pointee.exchange.wantsUpgrade else {
                fail(fd, ProxyError(kind: .upstreamMalformedResponse))
                return .finished
            }
            for i in responseHead.headers.indices where responseHead.headers[i].known == .connection || responseHead.headers[i].known == .upgrade {
                responseHead.headers[i].drop = false
            }
            prepareEdgeResponse(fd)
            HeadWriter.writeResponseHead(responseHead, from: source, into: &d.pointee.outBuf)
            writeEdgeResponseHeaders(fd)
            HeadWriter.finishHead(into: &d.pointee.outBuf)
            u.pointee.inBuf.moveReaderIndex(by: responseHead.headLength)
            d.pointee.exchange.status = 101
            d.pointee.exchange.responseHeadNanos = now
            // Bytes after the upgrade request belong to the new protocol.
            d.pointee.inBuf.moveReaderIndex(by: d.pointee.exchange.requestScanned)
            d.pointee.exchange.requestScanned = 0
            d.pointee.exchange.requestSent = 0
            disarm(u.pointee.fd)
            endAttempt(fd, .response)
            countStatus(101)
            exchangeCompleted(fd)
            d.pointee.phase = .tunnel
            arm(fd, .tunnelIdle, after: snapshot.timeouts.tunnelIdleNanos)
            return .finished
        }

        if code < 200 {
            // Informational (100 Continue, 103 Early Hints): pass on, keep waiting for the final head.
            // Never to an HTTP/1.0 client (RFC 9110 §15.2).
            if !d.pointee.exchange.clientHTTP10 {
                HeadWriter.writeResponseHead(responseHead, from: source, into: &d.pointee.outBuf)
                HeadWriter.finishHead(into: &d.pointee.outBuf)
            }
            u.pointee.inBuf.moveReaderIndex(by: responseHead.headLength)
            return .progress
        }

        // A status the route retries is discarded here, before any of it reaches the client.
        if code >= 500 || d.pointee.exchange.routeIndex >= 0 && !snapshot.routes[d.pointee.exchange.routeIndex].retry.retriableStatusCodes.isEmpty,
           retryOnStatus(fd, u, status: code) {
            return .finished
        }
        d.pointee.exchange.responseHeadParsed = true
        d.pointee.exchange.responseHeadNanos = now
        d.pointee.exchange.status = code
        d.pointee.exchange.responseFraming = responseHead.framing
        d.pointee.exchange.responseTracker = BodyTracker(framing: responseHead.framing)
        d.pointee.exchange.upstreamKeepAlive = responseHead.keepAlive
        if case .untilClose = responseHead.framing { d.pointee.exchange.closeAfterResponse = true }
        if d.pointee.isStream {
            // HTTP/2 frames the body itself: the stream takes the payload, whatever the framing.
            d.pointee.exchange.dechunkResponse = true
        } else if case .chunked = responseHead.framing, d.pointee.exchange.clientHTTP10 {
            // HTTP/1.0 has no chunked coding: send the payload and close to end it (RFC 9112 §6.3).
            d.pointee.exchange.dechunkResponse = true
            d.pointee.exchange.closeAfterResponse = true
            for i in responseHead.headers.indices where responseHead.headers[i].known == .transferEncoding {
                responseHead.headers[i].drop = true
            }
        }
        prepareEdgeResponse(fd)
        HeadWriter.writeResponseHead(responseHead, from: source, into: &d.pointee.outBuf)
        writeEdgeResponseHeaders(fd)
        if d.pointee.exchange.closeAfterResponse {
            d.pointee.outBuf.append("Connection: close\r\n")
        } else if d.pointee.exchange.clientHTTP10 {
            d.pointee.outBuf.append("Connection: keep-alive\r\n")  // 1.0 keeps alive only when told
        }
        HeadWriter.finishHead(into: &d.pointee.outBuf)
        u.pointee.inBuf.moveReaderIndex(by: responseHead.headLength)
        // From here the route timeout bounds each wait for more response bytes.
        arm(u.pointee.fd, .response, after: d.pointee.exchange.responseTimeoutNanos)
        return .progress
    }
}
