import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real OTLP/HTTP collector for one test: `Tests/Fixtures/otlp_receiver.py`, which decodes
/// export requests with the official Python definitions (PyPI `opentelemetry-proto`), so the
/// exporter is checked against an implementation it shares no code with.
///
/// `start` returns once the script printed `listening <port>`. The script also prints a line per
/// request and per stored batch, so `waitForSpans`/`waitForRequests` block on its stdout (a
/// condition variable) instead of polling. Always `defer { receiver.stop() }`; `deinit` kills a
/// receiver a test forgot.
public final class OTLPReceiver: Sendable {
    /// How the receiver answers export requests (the script's `--mode`).
    public enum Mode: String, Sendable {
        /// 200 with an empty `ExportTraceServiceResponse`.
        case ok
        /// 200 with `partial_success.rejected_spans` set (see `start(rejected:)`).
        case partial
        /// Reads the request and never answers, keeping the connection open.
        case hang
        /// 503, with `Retry-After` when `start(retryAfter:)` is given.
        case fail503
        /// 500.
        case fail500
    }

    /// The Python module the script needs, and the PyPI package that provides it.
    public static let pythonModule = (module: "opentelemetry.proto", pipPackage: "opentelemetry-proto")

    /// The port on 127.0.0.1.
    public let port: Int
    public let mode: Mode
    private let process: PythonFixtureProcess
    private var stdoutBuffer: LineBuffer { process.stdout }

    /// The URL to give the exporter.
    public var endpoint: String { "http://127.0.0.1:\(port)/v1/traces" }

    private init(mode: Mode, process: PythonFixtureProcess) {
        self.port = process.port
        self.mode = mode
        self.process = process
    }

    /// Starts the receiver and waits for its `listening` line. `pythonOptions` go before the
    /// script (e.g. `-S` to hide site-packages and check the missing-module failure).
    /// - Throws: `toolMissing` without python3, `pythonModuleMissing` without
    ///   `opentelemetry-proto` (a failure, never a skip: `scripts/test.sh` installs it), and
    ///   `fixtureFailed` when the script exits or stays silent.
    public static func start(
        mode: Mode = .ok,
        retryAfter: Int? = nil,
        rejected: Int? = nil,
        timeout: Duration = .seconds(20),
        script: String = scriptPath(),
        pythonOptions: [String] = []
    ) throws(TestSupportError) -> OTLPReceiver {
        var arguments = ["--mode", mode.rawValue]
        if let retryAfter { arguments += ["--retry-after", String(retryAfter)] }
        if let rejected { arguments += ["--rejected", String(rejected)] }
        let process = try PythonFixtureProcess.startServer(
            script: script, arguments: arguments, module: pythonModule, timeout: timeout, pythonOptions: pythonOptions)
        return OTLPReceiver(mode: mode, process: process)
    }

    /// `Tests/Fixtures/otlp_receiver.py`, found from this source file.
    public static func scriptPath(sourceFile: String = #filePath) -> String {
        PythonFixtureProcess.scriptPath("otlp_receiver.py", sourceFile: sourceFile)
    }

    /// The real interpreter behind `python3`. Version managers (pyenv) put a shell script first on
    /// `PATH` that runs Python as its child; a signal sent to that script would never reach the
    /// receiver, so the receiver is started from `sys.executable` instead.
    static func interpreter() throws(TestSupportError) -> String {
        let python = try ExternalTool.require("python3")
        let result = try ExternalTool.run(python, ["-c", "import sys; print(sys.executable)"], timeout: .seconds(30))
        let path = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, path.hasPrefix("/") else { return python }
        return path
    }

    /// The spans received so far, in arrival order.
    public func spans() throws(TestSupportError) -> [ReceivedSpan] {
        try decode([ReceivedSpan].self, from: get("/spans"), what: "receiver /spans")
    }

    /// The export requests seen so far (every mode), with their headers (names lowercased).
    public func requests() throws(TestSupportError) -> [ReceivedRequest] {
        try decode(ReceivedRequests.self, from: get("/requests"), what: "receiver /requests").requests
    }

    /// Blocks until at least `count` spans were stored, then returns them all.
    /// - Throws: `fixtureFailed` on timeout, naming how many arrived.
    @discardableResult
    public func waitForSpans(count: Int, timeout: Duration = .seconds(10)) throws(TestSupportError) -> [ReceivedSpan] {
        guard waitForCounter("spans", atLeast: count, timeout: timeout) else {
            let got = (try? spans().count) ?? -1
            throw .fixtureFailed(
                name: "otlp_receiver.py",
                detail: "expected \(count) spans within \(timeout), got \(got)"
            )
        }
        return try spans()
    }

    /// Blocks until at least `count` export requests were read; returns whether they were.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(10)) -> Bool {
        waitForCounter("requests", atLeast: count, timeout: timeout)
    }

    /// Number of export requests read so far (from the stdout lines, no HTTP round trip).
    public var requestCount: Int { lastCounter("requests", in: stdoutBuffer.lines[...]) }

    /// SIGTERM, then SIGKILL if it has not exited within `timeout`. Idempotent.
    /// - Returns: the exit status (0 after a clean stop).
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Int32? {
        process.stop(timeout: timeout)
    }

    /// Everything the script wrote to stderr (tracebacks).
    public var stderrText: String { process.stderrText }

    private func waitForCounter(_ name: String, atLeast count: Int, timeout: Duration) -> Bool {
        stdoutBuffer.wait(timeout: timeout) { lines, finished -> Bool? in
            if lastCounter(name, in: lines) >= count { return true }
            return finished ? false : nil
        } ?? false
    }

    private func lastCounter(_ name: String, in lines: ArraySlice<String>) -> Int {
        let prefix = name + " "
        guard let line = lines.last(where: { $0.hasPrefix(prefix) }) else { return 0 }
        return Int(line.dropFirst(prefix.count)) ?? 0
    }

    private func get(_ path: String) throws(TestSupportError) -> [UInt8] {
        let client = try RawHTTPClient.connect(port: port)
        client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
        guard let response = client.readResponse(timeout: .seconds(10)) else {
            throw .fixtureFailed(
                name: "otlp_receiver.py",
                detail: "GET \(path): \(client.lastReadError ?? "no response")"
            )
        }
        guard response.status == 200 else {
            throw .fixtureFailed(
                name: "otlp_receiver.py",
                detail: "GET \(path) answered \(response.status): \(response.bodyText)"
            )
        }
        return response.body
    }

    private func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], what: String) throws(TestSupportError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw .malformed(what: what, detail: "\(error); body: \(String(decoding: body.prefix(500), as: UTF8.self))")
        }
    }
}

private struct ReceivedRequests: Decodable {
    var count: Int
    var requests: [ReceivedRequest]
}
