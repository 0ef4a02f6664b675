// SimpleHTTPServer: a small blocking HTTP/1.1 server for the control side (admin, demo echo).
import CTracegateShims
import Glibc
import Synchronization
import TracegateDataPlane
import TracegateHTTP

/// A request as the control-side handlers see it: decoded into Strings (low volume, not the data path).
public struct SimpleRequest: Sendable {
    public var method: String
    public var target: String
    public var path: String
    public var query: String
    public var headers: [(name: String, value: String)]
    public var bodyLength: Int

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Decoded query parameters (first value wins).
    public var queryItems: [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if let k = kv.first, out[k] == nil { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }
}

public struct SimpleResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [(String, String)] = []
    /// Streaming mode: when set, the server sends the head without a length (`Connection: close`),
    /// then hands the connection to this body, which writes until the client goes or the server
    /// stops; the connection closes when it returns. `body` is ignored.
    public var stream: (@Sendable (StreamWriter) -> Void)?

    public init(status: Int, contentType: String = "application/json", body: String, headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = Array(body.utf8)
        self.headers = headers
    }

    public init(status: Int, contentType: String, bytes: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = bytes
        self.headers = headers
    }

    /// A streaming response (see ``stream``).
    public init(streaming contentType: String, headers: [(String, String)] = [], body: @escaping @Sendable (StreamWriter) -> Void) {
        self.status = 200
        self.contentType = contentType
        self.body = []
        self.headers = headers
        self.stream = body
    }
}

/// Thread-per-connection HTTP/1.1 with keep-alive, reusing Tracegate's own parser. Used for the
/// admin listener and the built-in demo upstream, where simplicity beats throughput; the data plane
/// never uses it.
public final class SimpleHTTPServer: Sendable {
    public typealias Handler = @Sendable (SimpleRequest) -> SimpleResponse

    public let address: SocketAddress
    private let listenFD: Int32
    private let handler: Handler
    private let stopped = Atomic<Bool>(false)
    private let threads = Mutex<Int>(0)

    public init(bind: SocketAddress, handler: @escaping Handler) throws(SocketError) {
        let fd = socket(bind.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", errno: tg_errno()) }
        _ = tg_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        let rc = bind.withSockAddr { Glibc.bind(fd, $0, $1) }
        guard rc == 0, Glibc.listen(fd, 128) == 0 else {
            let e = tg_errno(); close(fd)
            throw SocketError(operation: "bind \(bind)", errno: e)
        }
        listenFD = fd
        address = SocketAddress.local(of: fd) ?? bind
        self.handler = handler
    }

    public func start(name: String) {
        let server = self
        Thread.detach(name: name) { server.acceptLoop() }
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let fd = tg_accept4(listenFD, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            if fd < 0 {
                if tg_errno() == EINTR { continue }
                if stopped.load(ordering: .relaxed) { break }
                usleep(10_000)
                continue
            }
            _ = tg_setsockopt_int(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let server = self
            Thread.detach(name: "tg-http") { server.serve(fd) }
        }
        close(listenFD)
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = IOBuffer(capacity: 16 * 1024)
        defer { buffer.release() }
        var head = RequestHead()
        while !stopped.load(ordering: .relaxed) {
            // Read until a complete head is buffered.
            var parsed = false
            while !parsed {
                if buffer.readableBytes > 0 {
                    do {
                        parsed = try HeadParser.parseRequest(buffer.readable, limits: HeadLimits(), into: &head) == .complete
                    } catch {
                        send(fd, SimpleResponse(status: error.status, body: "{\"error\":\"\(error.code)\"}\n"), keepAlive: false, headOnly: false)
                        return
                    }
                    if parsed { break }
                }
                buffer.reserve(minimumWritable: 4096)
                let n = read(fd, buffer.writable.baseAddress, buffer.writableBytes)
                if n <= 0 { return }
                buffer.moveWriterIndex(by: n)
            }
            let request = decode(head, buffer.readable)
            buffer.moveReaderIndex(by: head.headLength)
            // Consume (and count) the body.
            var tracker = BodyTracker(framing: head.framing)
            var bodyLength = 0
            var sentContinue = false
            while !tracker.isComplete {
                if buffer.readableBytes > 0 {
                    guard let n = try? tracker.consume(buffer.readable) else { return }
                    buffer.moveReaderIndex(by: n)
                    bodyLength += n
                    if tracker.isComplete { break }
                }
                if head.expectsContinue && !sentContinue {
                    sentContinue = true
                    _ = "HTTP/1.1 100 Continue\r\n\r\n".withCString { write(fd, $0, 25) }
                }
                buffer.reserve(minimumWritable: 16 * 1024)
                let n = read(fd, buffer.writable.baseAddress, buffer.writableBytes)
                if n <= 0 { return }
                buffer.moveWriterIndex(by: n)
            }
            var req = request
            req.bodyLength = Int(tracker.payloadBytes)
            let response = handler(req)
            if let stream = response.stream {
                if head.method == .head {
                    send(fd, response, keepAlive: false, headOnly: true)
                } else {
                    runStream(fd, response, stream)
                }
                return
            }
            send(fd, response, keepAlive: head.keepAlive, headOnly: head.method == .head)
            if !head.keepAlive { return }
        }
    }

    private func decode(_ head: RequestHead, _ bytes: UnsafeRawBufferPointer) -> SimpleRequest {
        func text(_ r: ByteRange) -> String { String(decoding: bytes[r.start..<r.end], as: UTF8.self) }
        let target = text(head.target)
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return SimpleRequest(
            method: text(head.methodRange), target: target,
            path: parts.first.map(String.init) ?? target, query: parts.count > 1 ? String(parts[1]) : "",
            headers: head.headers.map { (text($0.name), text($0.value)) }, bodyLength: 0)
    }

    /// Sends a streaming response's head, then lets its body write until it returns.
    private func runStream(_ fd: Int32, _ response: SimpleResponse, _ body: @Sendable (StreamWriter) -> Void) {
        var head = "HTTP/1.1 \(response.status) \(SimpleHTTPServer.reason(response.status))\r\n"
        head += "Content-Type: \(response.contentType)\r\n"
        for (k, v) in response.headers { head += "\(k): \(v)\r\n" }
        head += "Connection: close\r\n\r\n"
        let writer = StreamWriter(fd: fd, server: self)
        // The body runs even when the head could not be written (it sees a closed writer and
        // returns at once), so whatever it holds — a stream slot — is always given back.
        writer.write(Array(head.utf8))
        body(writer)
    }

    /// Whether `stop()` was called (streams end when it is).
    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func send(_ fd: Int32, _ response: SimpleResponse, keepAlive: Bool, headOnly: Bool) {
        var head = "HTTP/1.1 \(response.status) \(SimpleHTTPServer.reason(response.status))\r\n"
        head += "Content-Type: \(response.contentType)\r\n"
        if response.stream == nil { head += "Content-Length: \(response.body.count)\r\n" }
        for (k, v) in response.headers { head += "\(k): \(v)\r\n" }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if !headOnly { bytes += response.body }
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
