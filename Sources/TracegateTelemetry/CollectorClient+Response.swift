// CollectorClient+Response.swift — reading one HTTP/1.1 response with Tracegate's own parser.
import TracegateHTTP

extension CollectorClient {
    /// Reads interim (1xx) responses away, then the final head and its whole body.
    /// - Returns: the response and whether the connection may carry the next request.
    func readResponse(deadline: MonotonicTime) throws(TransportError) -> (CollectorResponse, keepAlive: Bool) {
        var head = ResponseHead()
        while true {
            try readHead(into: &head, deadline: deadline)
            if head.statusCode >= 200 { break }
            if head.statusCode == 101 { throw .malformedResponse("unexpected 101 Switching Protocols") }
            buffer.removeFirst(head.headLength)
        }
        let reason = text(head.reason)
        let retryAfter = head.firstIndex(of: .retryAfter).flatMap { retryAfterSeconds(head.headers[$0].value) }
        buffer.removeFirst(head.headLength)
        let (body, complete) = try readBody(framing: head.framing, deadline: deadline)
        let response = CollectorResponse(
            status: head.statusCode,
            reason: reason,
            retryAfterSeconds: retryAfter,
            body: body
        )
        // Bytes after the body were never asked for: the connection's framing can't be trusted.
        let keepAlive = head.keepAlive && complete && buffer.isEmpty
        return (response, keepAlive)
    }

    private func readHead(into head: inout ResponseHead, deadline: MonotonicTime) throws(TransportError) {
        while true {
            if !buffer.isEmpty {
                let parsed: Result<ParseStatus, HTTPParseError> = buffer.withUnsafeBytes { bytes in
                    do throws(HTTPParseError) {
                        return .success(
                            try HeadParser.parseResponse(
                                bytes,
                                requestMethod: .post,
                                limits: Self.headLimits,
                                into: &head
                            )
                        )
                    } catch {
                        return .failure(error)
                    }
                }
                switch parsed {
                case .success(.complete): return
                case .success(.incomplete): break
                case .failure(let error): throw .malformedResponse("invalid response head (\(error))")
                }
            }
            guard try receiveMore(deadline: deadline, phase: "waiting for the response") else { throw .closedEarly }
        }
    }

    /// The de-chunked body; `complete` is false when the body ended with the connection.
    private func readBody(
        framing: BodyFraming,
        deadline: MonotonicTime
    ) throws(TransportError) -> ([UInt8], complete: Bool) {
        var tracker = BodyTracker(framing: framing)
        var body: [UInt8] = []
        while !tracker.isComplete {
            if !buffer.isEmpty {
                let used: Result<Int, HTTPParseError> = buffer.withUnsafeBytes { bytes in
                    do throws(HTTPParseError) {
                        return .success(try tracker.consume(bytes) { body.append(contentsOf: $0) })
                    } catch {
                        return .failure(error)
                    }
                }
                switch used {
                case .success(let count): buffer.removeFirst(count)
                case .failure(let error): throw .malformedResponse("invalid response body framing (\(error))")
                }
                if body.count > Self.maxResponseBody {
                    throw .malformedResponse("response body larger than \(Self.maxResponseBody) bytes")
                }
                if tracker.isComplete { break }
            }
            guard try receiveMore(deadline: deadline, phase: "reading the response body") else {
                if framing == .untilClose { return (body, false) }
                throw .closedEarly
            }
        }
        return (body, true)
    }

    /// Delay-seconds (RFC 9110 §10.2.3); an HTTP-date gives nil (the exporter's own backoff).
    private func retryAfterSeconds(_ range: ByteRange) -> Int? {
        let value = buffer[range.start..<range.end]
        guard !value.isEmpty, value.count <= 9, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: value, as: UTF8.self))
    }

    private func text(_ range: ByteRange) -> String {
        String(decoding: buffer[range.start..<range.end], as: UTF8.self)
    }
}
