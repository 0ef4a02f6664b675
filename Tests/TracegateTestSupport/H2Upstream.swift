import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/2 origin: `Tests/Fixtures/h2_upstream.py`, built on PyPI `h2` (hyper-h2), a stack
/// that shares no code with the proxy's nghttp2, so the proxy's HTTP/2 upstream side is checked
/// against an independent implementation.
///
/// It listens on 127.0.0.1 (kernel-chosen port), h2c with prior knowledge (RFC 9113 §3.3) or, with
/// `tls`, TLS with ALPN h2 (§3.2). Responses are chosen by path, like the HTTP/1 fixture: the echo
/// JSON by default, `/status/NNN`, `/bytes/N` (`FixturePattern` bytes within flow control),
/// `/trailers`, `/delay/MS`, `/reset[/CODE]`, `/goaway`, streaming `POST /echo`; the script's
/// docstring is the reference. Every request is printed (a JSON line on the script's stdout)
/// before its response is sent, but a reader thread still has to take it from the pipe: after a
/// client got its response, `waitForRequests(count:)` returns at once, while the `requests()`
/// snapshot may lag behind. The same holds for the other events and their `waitFor...` methods.
///
/// Always `defer { upstream.stop() }`; `deinit` kills an upstream a test forgot.
public final class H2Upstream: Sendable {
    /// The Python module the script needs, and the PyPI package that provides it.
    public static let pythonModule = (module: "h2", pipPackage: "h2")

    private let process: PythonFixtureProcess

    /// The port on 127.0.0.1.
    public var port: Int { process.port }
    /// "127.0.0.1:PORT", the form a proxy config's upstream address takes.
    public var address: String { "127.0.0.1:\(port)" }
    /// Whether it serves TLS (ALPN h2) rather than h2c.
    public let isTLS: Bool

    /// `http://127.0.0.1:PORT<path>` (or `https://` with TLS).
    public func url(_ path: String = "/") -> String {
        "\(isTLS ? "https" : "http")://\(address)\(path)"
    }

    private init(process: PythonFixtureProcess, isTLS: Bool) {
        self.process = process
        self.isTLS = isTLS
    }

    /// Starts the script and waits for its `listening` line.
    /// - Parameters:
    ///   - maxConcurrentStreams: SETTINGS_MAX_CONCURRENT_STREAMS advertised and enforced (streams
    ///     beyond it get REFUSED_STREAM and show in `refusedStreams`); the script's default is 100.
    ///   - maxHeaderListSize: SETTINGS_MAX_HEADER_LIST_SIZE advertised and enforced by h2's HPACK
    ///     decoder (GOAWAY ENHANCE_YOUR_CALM, in `protocolErrors`); default 65536.
    ///   - initialWindowSize: SETTINGS_INITIAL_WINDOW_SIZE advertised (small values make clients
    ///     wait for WINDOW_UPDATE on uploads); default h2's 65535.
    ///   - tls: serve TLS with this certificate (ALPN h2 only).
    /// - Throws: `toolMissing` without python3, `pythonModuleMissing` without `h2`,
    ///   `fixtureFailed` when the script exits or stays silent.
    public static func start(
        maxConcurrentStreams: Int? = nil,
        maxHeaderListSize: Int? = nil,
        initialWindowSize: Int? = nil,
        tls: TestCertificate? = nil,
        timeout: Duration = .seconds(20),
        script: String = scriptPath()
    ) throws(TestSupportError) -> H2Upstream {
        var arguments = [String]()
        if let maxConcurrentStreams { arguments += ["--max-concurrent-streams", String(maxConcurrentStreams)] }
        if let maxHeaderListSize { arguments += ["--max-header-list-size", String(maxHeaderListSize)] }
        if let initialWindowSize { arguments += ["--initial-window-size", String(initialWindowSize)] }
        if let tls { arguments += ["--cert", tls.certificatePath, "--key", tls.keyPath] }
        let process = try PythonFixtureProcess.startServer(
            script: script, arguments: arguments, module: pythonModule, timeout: timeout)
        return H2Upstream(process: process, isTLS: tls != nil)
    }

    /// `Tests/Fixtures/h2_upstream.py`, found from this source file.
    public static func scriptPath() -> String {
        PythonFixtureProcess.scriptPath("h2_upstream.py")
    }

    /// Every request read from the script so far, in the order it printed them (a snapshot: see
    /// the type's note, and prefer `waitForRequests(count:)` right after a client call).
    /// - Throws: `malformed` when a line does not decode (a script bug).
    public func requests() throws(TestSupportError) -> [H2ReceivedRequest] {
        try events(H2ReceivedRequest.self, named: "request")
    }

    /// Blocks until at least `count` requests were recorded, then returns them all.
    /// - Throws: `fixtureFailed` on timeout (naming how many arrived), `malformed` as `requests()`.
    @discardableResult
    public func waitForRequests(count: Int, timeout: Duration = .seconds(10)) throws(TestSupportError) -> [H2ReceivedRequest] {
        let arrived = waitForEvents(named: "request", count: count, timeout: timeout)
        let received = try requests()
        guard arrived else {
            throw .fixtureFailed(
                name: process.name,
                detail: "expected \(count) requests within \(timeout), got \(received.count); stderr:\n\(process.stderrText)")
        }
        return received
    }

    /// Streams refused with REFUSED_STREAM (over the concurrency limit, or after `/goaway`).
    public func refusedStreams() throws(TestSupportError) -> [H2RefusedStream] {
        try events(H2RefusedStream.self, named: "refused_stream")
    }

    /// Connection errors the fixture saw, as "ERROR_CODE: description" (h2's validation: malformed
    /// frames, oversized header lists, ALPN other than h2...). A proxy under test should cause none.
    public func protocolErrors() throws(TestSupportError) -> [String] {
        try events(ProtocolErrorLine.self, named: "protocol_error").map { "\($0.errorCode): \($0.error)" }
    }

    /// Connections accepted so far.
    public var acceptedConnections: Int {
        process.jsonLines().count { Self.isEvent($0, "connection") }
    }

    /// GOAWAY frames received from clients, as (connection, error code name, last stream id).
    public func goawaysReceived() throws(TestSupportError) -> [(connection: Int, errorCode: String, lastStreamID: Int)] {
        try events(GoawayLine.self, named: "goaway_received").map { ($0.connection, $0.errorCode, $0.lastStreamID) }
    }

    /// Blocks until at least `count` streams were refused; returns whether they were.
    public func waitForRefusedStreams(count: Int, timeout: Duration = .seconds(10)) -> Bool {
        waitForEvents(named: "refused_stream", count: count, timeout: timeout)
    }

    /// Blocks until at least `count` connection errors were logged; returns whether they were.
    public func waitForProtocolErrors(count: Int = 1, timeout: Duration = .seconds(10)) -> Bool {
        waitForEvents(named: "protocol_error", count: count, timeout: timeout)
    }

    /// Blocks until at least `count` client GOAWAY frames were logged; returns whether they were.
    public func waitForGoawaysReceived(count: Int = 1, timeout: Duration = .seconds(10)) -> Bool {
        waitForEvents(named: "goaway_received", count: count, timeout: timeout)
    }

    /// SIGTERM, then SIGKILL if it has not exited within `timeout`. Idempotent.
    /// - Returns: the exit status (0 after a clean stop).
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Int32? {
        process.stop(timeout: timeout)
    }

    /// Everything the script wrote to stderr (tracebacks).
    public var stderrText: String { process.stderrText }

    private func waitForEvents(named event: String, count: Int, timeout: Duration) -> Bool {
        process.waitForJSONLines(timeout: timeout) { lines, finished -> Bool? in
            if lines.count(where: { Self.isEvent($0, event) }) >= count { return true }
            return finished ? false : nil
        } ?? false
    }

    private func events<T: Decodable>(_ type: T.Type, named event: String) throws(TestSupportError) -> [T] {
        var result = [T]()
        for line in process.jsonLines() where Self.isEvent(line, event) {
            result.append(try PythonFixtureProcess.decode(type, line, what: "\(process.name) \(event) line"))
        }
        return result
    }

    /// The script prints keys sorted, with `"event": "<name>"` in every line.
    static func isEvent(_ line: String, _ name: String) -> Bool {
        line.contains("\"event\": \"\(name)\"")
    }
}

private struct ProtocolErrorLine: Decodable {
    var error: String
    var errorCode: String

    private enum CodingKeys: String, CodingKey {
        case error
        case errorCode = "error_code"
    }
}

private struct GoawayLine: Decodable {
    var connection: Int
    var errorCode: String
    var lastStreamID: Int

    private enum CodingKeys: String, CodingKey {
        case connection
        case errorCode = "error_code"
        case lastStreamID = "last_stream_id"
    }
}
