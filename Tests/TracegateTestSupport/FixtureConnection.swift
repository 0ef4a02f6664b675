#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection of an `UpstreamFixture`: reads requests one after the other
/// (keep-alive and pipelining, RFC 9112 §9.3) and writes the handler's responses.
struct FixtureConnection {
    /// What happens to the connection after an exchange.
    enum After: Equatable {
        case keepAlive, close
    }

    /// Largest head the fixture accepts before answering 431.
    static let maxHeadBytes = 64 * 1024

    let server: FixtureServer
    let fd: Int32
    let number: Int
    let peer: String
    var reader: SocketReader
    var sequence = 0

    init(server: FixtureServer, fd: Int32, number: Int) {
        self.server = server
        self.fd = fd
        self.number = number
        self.peer = POSIXSocket.peerAddress(fd)
        self.reader = SocketReader(fd: fd)
    }

    /// Serves requests until either side closes.
    mutating func run() {
        while serveOne() == .keepAlive {}
    }

    private mutating func serveOne() -> After {
        let headBytes: [UInt8]
        switch reader.readHead(maxBytes: Self.maxHeadBytes, skipLeadingEmptyLines: true) {
        case .head(let bytes):
            headBytes = bytes
        case .endOfStream(let partial):
            if !partial.isEmpty { reject(400, "connection closed mid-head: \(String(decoding: partial, as: UTF8.self))") }
            return .close
        case .tooLarge:
            reject(431, "head larger than \(Self.maxHeadBytes) bytes")
            return .close
        case .timedOut, .failed:
            return .close
        }
        let rawHead = String(decoding: headBytes, as: UTF8.self)
        guard let head = HTTPHead(bytes: headBytes), head.startLineParts.count == 3 else {
            reject(400, "unparsable head: \(rawHead)")
            return .close
        }
        sequence += 1
        let parts = head.startLineParts
        var request = FixtureRequest(
            method: parts[0], target: parts[1], version: parts[2], headers: head.headers,
            rawHead: rawHead, connectionNumber: number, sequenceOnConnection: sequence, peerAddress: peer)
        let framing = Self.framing(of: request)
        if case .invalid(let reason) = framing {
            reject(400, "\(reason): \(rawHead)")
            return .close
        }
        if request.expectsContinue {
            var preliminary = request
            preliminary.isAwaitingContinue = true
            let decision = server.handler(preliminary)
            if let status = decision.rejectExpect {
                request.isBodyComplete = framing == .none
                server.record(request)
                let rejection = FixtureResponse(status: status).with { $0.closeConnection = true }
                _ = respond(rejection, in: ExchangeContext(request))
                return .close
            }
            if decision.sendContinue, !send("HTTP/1.1 100 Continue\r\n\r\n") { return .close }
        }
        var trailers: [(name: String, value: String)] = []
        let outcome = reader.readBody(framing, trailers: &trailers) { request.absorbBody($0) }
        request.trailers = trailers
        switch outcome {
        case .complete:
            break
        case .truncated, .timedOut:
            request.isBodyComplete = false
            server.record(request)
            return .close
        case .invalid(let reason):
            reject(400, "\(reason): \(rawHead)")
            return .close
        }
        server.record(request)
        let response = server.handler(request)
        return respond(response, in: ExchangeContext(request))
    }

    /// Body framing of a request (RFC 9112 §6.3): Transfer-Encoding ending in chunked wins
    /// over Content-Length; any other transfer coding, or conflicting or non-numeric
    /// Content-Length values, are errors the fixture reports instead of guessing.
    static func framing(of request: FixtureRequest) -> SocketReader.BodyFraming {
        let codings = request.headers(named: "transfer-encoding").flatMap { $0.httpListMembers() }
        if !codings.isEmpty {
            return codings.last == "chunked" ? .chunked : .invalid("transfer-encoding without final chunked")
        }
        return SocketReader.contentLength(request.headers(named: "content-length")) ?? .none
    }

    /// Answers a request the fixture could not accept, records why, and leaves the
    /// connection to be closed.
    private mutating func reject(_ status: Int, _ description: String) {
        server.recordProtocolError(description)
        let response = FixtureResponse.text("fixture: \(description)\n", status: status).with { $0.closeConnection = true }
        _ = respond(response, in: ExchangeContext(isHead: false, isHTTP10: false, wantsClose: true))
    }

    func send(_ text: String) -> Bool {
        POSIXSocket.sendAll(fd, Array(text.utf8))
    }

    func sendBytes(_ bytes: [UInt8]) -> Bool {
        POSIXSocket.sendAll(fd, bytes)
    }
}

extension FixtureRequest {
    /// Counts, fingerprints and (below the limit) keeps a piece of the body.
    mutating func absorbBody(_ piece: UnsafeRawBufferPointer) {
        bodyLength += piece.count
        bodyFNV1a64.update(piece)
        guard isBodyKept else { return }
        if bodyLength < Self.keptBodyLimit {
            body.append(contentsOf: piece)
        } else {
            body = []
            isBodyKept = false
        }
    }
}
