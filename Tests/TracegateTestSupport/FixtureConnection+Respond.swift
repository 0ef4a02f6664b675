#if canImport(Glibc)
import Glibc
#endif

/// What of the request shapes the response (RFC 9112 §6.3, §9.3).
struct ExchangeContext {
    /// HEAD: framing headers as for GET, no body bytes (RFC 9110 §9.3.2).
    var isHead: Bool
    /// An HTTP/1.0 peer cannot read chunked framing; such bodies are close-delimited.
    var isHTTP10: Bool
    /// `Connection: close`, or HTTP/1.0 without `keep-alive` (RFC 9112 §9.3).
    var wantsClose: Bool

    init(isHead: Bool, isHTTP10: Bool, wantsClose: Bool) {
        self.isHead = isHead
        self.isHTTP10 = isHTTP10
        self.wantsClose = wantsClose
    }

    init(_ request: FixtureRequest) {
        let tokens = request.headers(named: "connection").flatMap { $0.httpListMembers() }
        isHead = request.method == "HEAD"
        isHTTP10 = request.version == "HTTP/1.0"
        wantsClose = tokens.contains("close") || (isHTTP10 && !tokens.contains("keep-alive"))
    }
}

/// Response writing, including the scripted failures.
extension FixtureConnection {
    mutating func respond(_ response: FixtureResponse, in context: ExchangeContext) -> After {
        if response.delayBeforeHead > .zero, !server.pause(response.delayBeforeHead) { return .close }
        if case .raw(let bytes) = response.body {
            guard sendBytes(bytes) else { return .close }
            return response.closeConnection || context.wantsClose ? .close : .keepAlive
        }
        if response.resetBeforeHead {
            POSIXSocket.armReset(fd)
            return .close
        }
        if response.hang {
            hangUntilClosed()
            return .close
        }
        for status in response.informational {
            guard send("HTTP/1.1 \(status) \(FixtureResponse.standardReason(status))\r\n\r\n") else { return .close }
        }
        if response.upgradeEcho {
            echoAfterUpgrade(response)
            return .close
        }
        let noBody = FixtureResponse.statusForbidsBody(response.status)
        let chunkedBody = response.body.isChunked
        let closeDelimited = chunkedBody && context.isHTTP10 && !noBody
        let closing = response.closeConnection || context.wantsClose || closeDelimited || response.closeAfterBytes != nil
        let userFraming = response.headers.contains {
            let name = $0.name.lowercased()
            return name == "content-length" || name == "transfer-encoding"
        }
        var head = "HTTP/1.1 \(response.status) \(response.reason ?? FixtureResponse.standardReason(response.status))\r\n"
        for field in response.headers { head += "\(field.name): \(field.value)\r\n" }
        if !userFraming, !noBody {
            if chunkedBody {
                if !closeDelimited { head += "Transfer-Encoding: chunked\r\n" }
            } else {
                head += "Content-Length: \(response.body.fixedLength)\r\n"
            }
        }
        if closing { head += "Connection: close\r\n" }
        head += "\r\n"
        guard send(head) else { return .close }
        if response.closeAfterHead { return .close }
        if noBody || context.isHead { return closing ? .close : .keepAlive }
        var writer = BodyWriter(fd: fd, budget: response.closeAfterBytes, chunked: chunkedBody && !closeDelimited)
        guard writeBody(response, with: &writer) else { return .close }
        return closing ? .close : .keepAlive
    }

    private func writeBody(_ response: FixtureResponse, with writer: inout BodyWriter) -> Bool {
        switch response.body {
        case .none, .raw:
            return true
        case .bytes(let bytes):
            return bytes.withUnsafeBytes { writer.write($0) }
        case .streamed(let total, _):
            let complete = FixturePattern.forEachBlock(totalBytes: total) { writer.writeChunk($0) }
            return complete && writer.finish(trailers: response.trailers)
        case .chunks(let chunks):
            for chunk in chunks {
                guard chunk.bytes.withUnsafeBytes({ writer.writeChunk($0) }) else { return false }
                if chunk.delayAfter > .zero, !server.pause(chunk.delayAfter) { return false }
            }
            return writer.finish(trailers: response.trailers)
        }
    }

    /// Reads and discards until the peer closes or `stop()` shuts the socket down.
    private mutating func hangUntilClosed() {
        while reader.fill() == .data { _ = reader.takeBuffered() }
    }

    /// Sends `101 Switching Protocols` and echoes every byte back until the peer closes
    /// (RFC 9110 §7.8: after the 101 the connection carries the new protocol).
    private mutating func echoAfterUpgrade(_ response: FixtureResponse) {
        var head = "HTTP/1.1 101 Switching Protocols\r\n"
        let extra = response.headers.filter { !["upgrade", "connection"].contains($0.name.lowercased()) }
        head += "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        for field in extra { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"
        guard send(head) else { return }
        while reader.fill() == .data {
            guard sendBytes(reader.takeBuffered()) else { return }
        }
        shutdown(fd, Int32(SHUT_WR))
    }
}

extension FixtureResponse.Body {
    var isChunked: Bool {
        switch self {
        case .streamed(_, let chunked): chunked
        case .chunks: true
        case .none, .bytes, .raw: false
        }
    }

    /// The Content-Length of a non-chunked body.
    var fixedLength: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .streamed(let total, _): total
        case .chunks(let chunks): chunks.reduce(0) { $0 + $1.bytes.count }
        case .none, .raw: 0
        }
    }
}

/// Writes body bytes, optionally in chunked framing, and stops (abruptly) once `budget`
/// wire bytes were written — the `closeAfterBytes` failure.
struct BodyWriter {
    let fd: Int32
    var budget: Int?
    let chunked: Bool

    /// Writes payload bytes in the body's framing; `false` once the connection must close.
    mutating func writeChunk(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard chunked else { return write(bytes) }
        if bytes.isEmpty { return true }
        return writeText(String(bytes.count, radix: 16) + "\r\n") && write(bytes) && writeText("\r\n")
    }

    /// Ends a chunked body: last-chunk, trailer section, empty line (RFC 9112 §7.1).
    mutating func finish(trailers: [(name: String, value: String)]) -> Bool {
        guard chunked else { return true }
        var tail = "0\r\n"
        for field in trailers { tail += "\(field.name): \(field.value)\r\n" }
        return writeText(tail + "\r\n")
    }

    /// Writes raw wire bytes within the budget; `false` when the peer is gone or the budget ran out.
    mutating func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let left = budget else { return POSIXSocket.sendAll(fd, bytes) }
        if bytes.count < left {
            budget = left - bytes.count
            return POSIXSocket.sendAll(fd, bytes)
        }
        _ = POSIXSocket.sendAll(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<left]))
        budget = 0
        return false
    }

    private mutating func writeText(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { write($0) }
    }
}
