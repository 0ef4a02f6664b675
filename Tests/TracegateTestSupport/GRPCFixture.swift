import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real gRPC server and client (PyPI `grpcio`, generic handlers, no generated stubs):
/// `Tests/Fixtures/grpc_server.py` runs as long as the fixture, `Tests/Fixtures/grpc_client.py`
/// runs once per `call`. The service `tracegate.test.Echo` has `Unary` (answers the request and
/// the metadata it received as JSON), `Stream` (N messages) and `Fail` (a chosen status); every
/// method sends initial metadata `x-initial-check` and trailing metadata `x-trailer-check`.
///
/// gRPC is HTTP/2 with trailers carrying the status (grpc-status in a trailing HEADERS block), so a
/// call through the proxy checks stream multiplexing, trailers and header translation at once.
/// Always `defer { server.stop() }`; `deinit` kills a server a test forgot.
public final class GRPCFixture: Sendable {
    /// The Python module both scripts need, and the PyPI package that provides it.
    public static let pythonModule = (module: "grpc", pipPackage: "grpcio")

    /// A method of `tracegate.test.Echo` and what to send it.
    public enum Call: Sendable {
        /// `Unary` with `message` as the request bytes.
        case unary(message: String = "hello")
        /// `Stream`: the server answers `count` messages "`message` 0" ... "`message` count-1".
        case stream(count: Int = 5, message: String = "message")
        /// `Fail`: the server ends the call with status `code` (a `grpc.StatusCode` name such as
        /// "NOT_FOUND") and `details`.
        case fail(code: String, details: String)

        var arguments: [String] {
            switch self {
            case .unary(let message): ["--call", "unary", "--message", message]
            case .stream(let count, let message): ["--call", "stream", "--count", String(count), "--message", message]
            case .fail(let code, let details): ["--call", "fail", "--code", code, "--details", details]
            }
        }
    }

    private let process: PythonFixtureProcess

    /// The port on 127.0.0.1.
    public var port: Int { process.port }
    /// "127.0.0.1:PORT", the gRPC target (and a proxy config's upstream address).
    public var address: String { "127.0.0.1:\(port)" }
    /// Whether the server speaks TLS.
    public let isTLS: Bool

    private init(process: PythonFixtureProcess, isTLS: Bool) {
        self.process = process
        self.isTLS = isTLS
    }

    /// Starts the server (h2c, or TLS with `tls`) and waits for its `listening` line.
    /// - Throws: `toolMissing` without python3, `pythonModuleMissing` without `grpcio`,
    ///   `fixtureFailed` when the script exits or stays silent.
    public static func start(
        tls: TestCertificate? = nil,
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> GRPCFixture {
        var arguments = [String]()
        if let tls { arguments += ["--cert", tls.certificatePath, "--key", tls.keyPath] }
        let process = try PythonFixtureProcess.startServer(
            script: PythonFixtureProcess.scriptPath("grpc_server.py"), arguments: arguments,
            module: pythonModule, timeout: timeout)
        return GRPCFixture(process: process, isTLS: tls != nil)
    }

    /// Runs one call against this server directly (`target` defaults to `address`; give the
    /// proxy's address to go through it). See `GRPCFixture.call(target:...)`.
    public func call(
        _ call: Call,
        target: String? = nil,
        metadata: [(String, String)] = [],
        caCertificate: String? = nil,
        serverName: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> GRPCCallResult {
        try Self.call(call, target: target ?? address, metadata: metadata,
                      caCertificate: caCertificate, serverName: serverName, timeout: timeout)
    }

    /// Runs `grpc_client.py` once against `target` ("HOST:PORT") and decodes its result. A failed
    /// call is a result (its `code`), not an error.
    /// - Parameters:
    ///   - metadata: request metadata, sent as given (keys must be lowercase gRPC metadata keys).
    ///   - caCertificate: use TLS, verifying the server against this PEM file.
    ///   - serverName: the name verified (and sent as :authority) with TLS.
    ///   - timeout: the call's deadline; the process is killed 10 s later if it hangs.
    /// - Throws: `pythonModuleMissing` without `grpcio`, `fixtureFailed` when the script crashes,
    ///   `malformed` when its output does not decode, `timedOut`.
    public static func call(
        _ call: Call,
        target: String,
        metadata: [(String, String)] = [],
        caCertificate: String? = nil,
        serverName: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> GRPCCallResult {
        var arguments = ["--target", target] + call.arguments
        for (key, value) in metadata { arguments += ["--metadata", "\(key)=\(value)"] }
        if let caCertificate { arguments += ["--ca", caCertificate] }
        if let serverName { arguments += ["--server-name", serverName] }
        arguments += ["--timeout", String(max(1, timeout.components.seconds))]
        let result = try PythonFixtureProcess.run(
            script: PythonFixtureProcess.scriptPath("grpc_client.py"), arguments: arguments,
            module: pythonModule, timeout: timeout + .seconds(10))
        let line = result.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        return try PythonFixtureProcess.decode(GRPCCallResult.self, line, what: "grpc_client.py output (stderr: \(result.stderr))")
    }

    /// The calls the server received so far, in the order they started.
    public func receivedCalls() throws(TestSupportError) -> [GRPCReceivedCall] {
        try process.jsonLines().map { line throws(TestSupportError) in
            try PythonFixtureProcess.decode(GRPCReceivedCall.self, line, what: "grpc_server.py call line")
        }
    }

    /// Blocks until at least `count` calls were received; returns whether they were.
    public func waitForCalls(count: Int, timeout: Duration = .seconds(10)) -> Bool {
        process.waitForJSONLines(timeout: timeout) { lines, finished -> Bool? in
            if lines.count >= count { return true }
            return finished ? false : nil
        } ?? false
    }

    /// SIGTERM, then SIGKILL if it has not exited within `timeout`. Idempotent.
    /// - Returns: the exit status (0 after a clean stop).
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Int32? {
        process.stop(timeout: timeout)
    }

    /// Everything the server wrote to stderr.
    public var stderrText: String { process.stderrText }
}
