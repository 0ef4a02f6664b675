#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking TCP client that sends exactly the bytes a test gives it.
///
/// For what curl will not send: request-smuggling shapes (CL+TE, obs-fold, bare LF), a
/// slowloris head trickled byte by byte, pipelined requests, half-closed connections. It
/// reads responses with RFC 9112 §6.3 framing (no body for HEAD, 1xx, 204, 304; chunked;
/// Content-Length; else until close), one at a time, so an interim 1xx is its own response.
///
/// A class: it owns a socket, closed on `close()` or `deinit`. Not thread-safe; use it from
/// the test that created it.
public final class RawHTTPClient {
    private var reader: SocketReader
    private var fd: Int32
    /// Why the last read returned `nil` or stopped early ("timed out", "closed"...).
    public private(set) var lastReadError: String?

    private init(fd: Int32) {
        self.fd = fd
        self.reader = SocketReader(fd: fd)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Connects to `host:port`; with `sourceAddress` (e.g. "127.0.0.2") the socket is bound
    /// to it first, so the server sees that peer address (all of 127/8 is on `lo`).
    public static func connect(port: Int, host: String = "127.0.0.1", from sourceAddress: String? = nil) throws(TestSupportError) -> RawHTTPClient {
        RawHTTPClient(fd: try POSIXSocket.connect(port: port, host: host, source: sourceAddress))
    }

    /// The local end as "a.b.c.d:port".
    public var localAddress: String { POSIXSocket.localAddress(fd) }

    /// Sends bytes; `false` when the peer is gone.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        fd >= 0 && POSIXSocket.sendAll(fd, bytes)
    }

    /// Sends text as UTF-8 (write `\r\n` yourself).
    @discardableResult
    public func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Streams `totalBytes` of `FixturePattern` (e.g. a body after a head sent with `send`),
    /// never holding more than one 64 KiB block; `false` when the peer is gone.
    @discardableResult
    public func sendPattern(totalBytes: Int) -> Bool {
        guard fd >= 0 else { return false }
        return FixturePattern.forEachBlock(totalBytes: totalBytes) { POSIXSocket.sendAll(fd, $0) }
    }

    /// Half-closes: the peer reads EOF, responses can still arrive.
    public func shutdownWrite() {
        if fd >= 0 { shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Reads one complete response. `requestWasHead` must be set for a response to HEAD
    /// (its framing headers describe a body that is not sent, RFC 9110 §9.3.2). Bodies above
    /// `keepBodyUpTo` bytes are counted and hashed but not kept.
    /// - Returns: `nil` on timeout, on a close before a complete response, or on garbage;
    ///   `lastReadError` says which.
    public func readResponse(timeout: Duration = .seconds(10), requestWasHead: Bool = false, keepBodyUpTo: Int = 16 << 20) -> RawResponse? {
        lastReadError = nil
        let deadline = MonotonicDeadline(after: timeout)
        let headBytes: [UInt8]
        switch reader.readHead(maxBytes: 1 << 20, skipLeadingEmptyLines: false, deadline: deadline) {
        case .head(let bytes): headBytes = bytes
        case .endOfStream(let partial):
            lastReadError = partial.isEmpty ? "closed" : "closed mid-head: \(String(decoding: partial, as: UTF8.self))"
            return nil
        case .tooLarge: lastReadError = "head larger than 1 MiB"; return nil
        case .timedOut: lastReadError = "timed out"; return nil
        case .failed: lastReadError = "read failed: \(TestSupportError.describe(errno: errno))"; return nil
        }
        let rawHead = String(decoding: headBytes, as: UTF8.self)
        guard let head = HTTPHead(bytes: headBytes) else {
            lastReadError = "unparsable head: \(rawHead)"
            return nil
        }
        let parts = head.startLineParts
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            lastReadError = "bad status line: \(head.startLine)"
            return nil
        }
        let framing = Self.framing(status: status, head: head, requestWasHead: requestWasHead)
        var response = RawResponse(
            version: parts[0], status: status, reason: parts.count > 2 ? parts[2] : "",
            headers: head.headers, framing: Self.name(of: framing), rawHead: rawHead)
        var trailers: [(name: String, value: String)] = []
        let outcome = reader.readBody(framing, deadline: deadline, trailers: &trailers) {
            response.absorb($0, keepUpTo: keepBodyUpTo)
        }
        response.trailers = trailers
        switch outcome {
        case .complete: return response
        case .timedOut: lastReadError = "timed out in body after \(response.bodyLength) bytes"
        case .truncated: lastReadError = "closed in body after \(response.bodyLength) bytes"
        case .invalid(let reason): lastReadError = reason
        }
        return nil
    }

    /// Reads everything until the peer closes, or until `timeout` (then `lastReadError` is
    /// "timed out" and the bytes so far are returned).
    public func readUntilClose(timeout: Duration = .seconds(10)) -> [UInt8] {
        lastReadError = nil
        let deadline = MonotonicDeadline(after: timeout)
        var bytes = [UInt8]()
        while true {
            switch reader.consume(upTo: Int.max, deadline: deadline, { bytes.append(contentsOf: $0) }) {
            case .data: continue
            case .endOfStream: return bytes
            case .timedOut: lastReadError = "timed out"; return bytes
            case .failed: lastReadError = "reset: \(TestSupportError.describe(errno: errno))"; return bytes
            }
        }
    }

    /// Whether the peer closes (FIN or RST) within `timeout`, discarding bytes that arrive
    /// first. `false` means the connection was still open when the time ran out.
    public func isClosedByPeer(timeout: Duration = .seconds(10)) -> Bool {
        let deadline = MonotonicDeadline(after: timeout)
        while true {
            switch reader.consume(upTo: Int.max, deadline: deadline, { _ in }) {
            case .data: continue
            case .endOfStream, .failed: return true
            case .timedOut: return false
            }
        }
    }

    /// Closes the socket (FIN). Idempotent.
    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Closes with RST instead of FIN (SO_LINGER 0), like a crashed client.
    public func reset() {
        guard fd >= 0 else { return }
        POSIXSocket.armReset(fd)
        close()
    }

    /// Response framing, RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; chunked when
    /// the last transfer coding is chunked, until close for other codings; a valid
    /// Content-Length; otherwise until close.
    static func framing(status: Int, head: HTTPHead, requestWasHead: Bool) -> SocketReader.BodyFraming {
        if requestWasHead || FixtureResponse.statusForbidsBody(status) { return .none }
        let codings = head.headers(named: "transfer-encoding").flatMap { $0.httpListMembers() }
        if !codings.isEmpty { return codings.last == "chunked" ? .chunked : .untilClose }
        return SocketReader.contentLength(head.headers(named: "content-length")) ?? .untilClose
    }

    private static func name(of framing: SocketReader.BodyFraming) -> String {
        switch framing {
        case .none: "none"
        case .length: "content-length"
        case .chunked: "chunked"
        case .untilClose: "close"
        case .invalid: "invalid"
        }
    }
}
