import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real `tracegate` binary running as a subprocess for one test.
///
/// `start` writes the YAML config to a private temporary directory, launches
/// `tracegate run --config FILE`, and returns once the proxy printed its ready line on
/// stderr (blocking on a condition variable fed by the stderr reader, never sleeping), so
/// the listener ports chosen for `port: 0` are known. stdout (access log) and stderr (JSON
/// logs) are drained continuously into line buffers. Always `defer { proxy.stop() }`.
///
/// A class: it owns the child process; `deinit` kills a proxy a test forgot to stop.
public final class ProxyProcess: Sendable {
    /// The proxy's process id.
    public let pid: Int32
    /// Path of the config file the proxy was started with (see `rewriteConfig`).
    public let configPath: String
    /// The ready line, parsed.
    public let ready: ProxyReadyLine
    private let child: ChildProcess
    private let directory: TempDir
    let stdoutBuffer: LineBuffer
    let stderrBuffer: LineBuffer

    private init(child: ChildProcess, directory: TempDir, configPath: String, ready: ProxyReadyLine, stdout: LineBuffer, stderr: LineBuffer) {
        self.pid = child.pid
        self.child = child
        self.directory = directory
        self.configPath = configPath
        self.ready = ready
        self.stdoutBuffer = stdout
        self.stderrBuffer = stderr
    }

    deinit {
        if !child.hasExited {
            child.signal(SIGKILL)
            _ = child.wait(timeout: .seconds(5))
        }
    }

    /// Starts the proxy and waits for its ready line.
    ///
    /// - Parameters:
    ///   - yaml: the config, written to `configPath`.
    ///   - arguments: the command line after the binary. When it starts with `run` (and
    ///     has no `--config`), `--config <configPath>` is appended; any other first word
    ///     (e.g. `["proxy", "--listen", ...]`) is passed as is. The ready line is awaited
    ///     in every case.
    ///   - environment: added to (and overriding) this process's environment.
    ///   - timeout: how long the ready line may take.
    ///   - binary: the executable; `nil` locates it (`locateBinary()`).
    /// - Throws: `binaryNotFound`, `proxyExited` (with its stderr) when it stopped before
    ///   being ready, `proxyNotReady` when it printed no ready line in time (it is killed).
    public static func start(
        config yaml: String,
        arguments: [String] = ["run"],
        environment: [String: String] = [:],
        timeout: Duration = .seconds(20),
        binary: String? = nil
    ) throws(TestSupportError) -> ProxyProcess {
        let executable = try resolveBinary(binary)
        let directory = try TempDir(prefix: "proxy")
        let configPath = try directory.write("tracegate.yaml", yaml)
        var commandLine = arguments
        if commandLine.first == "run", !commandLine.contains("--config") {
            commandLine += ["--config", configPath]
        }
        let stdout = LineBuffer()
        let stderr = LineBuffer()
        let echo = ProcessInfo.processInfo.environment["TRACEGATE_TEST_ECHO"] == "1"
        let child = try ChildProcess.spawn(
            path: executable,
            arguments: commandLine,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            stdinPipe: false,
            onStdout: { stdout.append($0) },
            onStderr: { bytes in
                if echo { FileHandle.standardError.write(Data(bytes)) }
                stderr.append(bytes)
            })
        enum Startup { case ready(ProxyReadyLine), ended }
        let outcome = stderr.wait(timeout: timeout) { lines, finished -> Startup? in
            for line in lines { if let ready = ProxyReadyLine.parse(line) { return .ready(ready) } }
            return finished ? .ended : nil
        }
        switch outcome {
        case .ready(let ready):
            return ProxyProcess(child: child, directory: directory, configPath: configPath, ready: ready, stdout: stdout, stderr: stderr)
        case .ended:
            var status = child.wait(timeout: .seconds(10))
            if status == nil {
                child.signal(SIGKILL)
                status = child.wait(timeout: nil)
            }
            throw .proxyExited(status: status ?? -1, stderr: stderr.lines.joined(separator: "\n"))
        case nil:
            child.signal(SIGKILL)
            _ = child.wait(timeout: nil)
            throw .proxyNotReady(after: timeout, stderr: stderr.lines.joined(separator: "\n"))
        }
    }

    /// "127.0.0.1:PORT" of the listener `name` from the ready line.
    public func listenerAddress(_ name: String) throws(TestSupportError) -> String {
        guard let address = ready.listeners[name] else {
            throw .unknownListener(name: name, known: Array(ready.listeners.keys))
        }
        return address
    }

    /// The port of the listener `name`.
    public func port(_ name: String) throws(TestSupportError) -> Int {
        let address = try listenerAddress(name)
        guard let port = ProxyReadyLine.port(of: address) else {
            throw .malformed(what: "listener address", detail: address)
        }
        return port
    }

    /// "127.0.0.1:PORT" of the admin listener, if the ready line named one.
    public var adminAddress: String? { ready.admin }

    /// The admin listener's port, if any.
    public var adminPort: Int? { ready.admin.flatMap(ProxyReadyLine.port(of:)) }

    /// Replaces the config file atomically (the proxy never reads half a file); send
    /// SIGHUP, or use `reload`, to apply it.
    public func rewriteConfig(_ yaml: String) throws(TestSupportError) {
        try directory.write("tracegate.yaml", yaml)
    }

    /// Rewrites the config (when given), sends SIGHUP and waits for the proxy's verdict.
    /// - Returns: the `reloaded` or `reload_failed` stderr line logged after the signal,
    ///   or `nil` if neither came within `timeout`.
    public func reload(config yaml: String? = nil, timeout: Duration = .seconds(10)) throws(TestSupportError) -> String? {
        if let yaml { try rewriteConfig(yaml) }
        let mark = stderrBuffer.count
        signal(SIGHUP)
        return stderrBuffer.wait(timeout: timeout, from: mark) { lines, _ in
            lines.first { line in
                let event = Self.event(of: line)
                return event == "reloaded" || event == "reload_failed"
            }
        }
    }

    /// Sends a signal (SIGHUP reloads, SIGTERM/SIGINT drain and exit).
    public func signal(_ signal: Int32) {
        child.signal(signal)
    }

    /// Waits for the proxy to exit; returns its exit code (128 + signal when killed by a
    /// signal), or `nil` on timeout.
    public func waitForExit(timeout: Duration = .seconds(20)) -> Int32? {
        child.wait(timeout: timeout)
    }

    /// Whether the process has exited.
    public var hasExited: Bool { child.hasExited }

    /// SIGTERM, wait up to `timeout` for the drain, then SIGKILL. Idempotent.
    /// - Returns: the exit status (0 after a clean drain).
    @discardableResult
    public func stop(timeout: Duration = .seconds(10)) -> Int32? {
        if !child.hasExited { child.signal(SIGTERM) }
        if let status = child.wait(timeout: timeout) { return status }
        child.signal(SIGKILL)
        return child.wait(timeout: .seconds(10))
    }

    /// The `event` field of a JSON log line, or `nil`.
    static func event(of line: String) -> String? {
        guard line.hasPrefix("{"),
              let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
        return object["event"] as? String
    }
}
