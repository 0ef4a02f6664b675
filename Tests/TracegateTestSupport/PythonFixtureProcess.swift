import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A Python script from `Tests/Fixtures/` run by the real interpreter: either a server that prints
/// `listening <port>` and then JSON event lines, or a one-shot client that prints its result.
///
/// The conventions every such script follows (see `otlp_receiver.py`): a missing PyPI module is
/// reported as `missing-python-module <module> <package>` on stderr with exit status 3, which
/// becomes `TestSupportError.pythonModuleMissing` (a failure naming the package, never a skip);
/// servers exit 0 on SIGTERM.
final class PythonFixtureProcess: Sendable {
    /// The script's file name, for messages.
    let name: String
    /// The port the script printed.
    let port: Int
    let child: ChildProcess
    let stdout: LineBuffer
    let stderr: LineBuffer

    private init(name: String, port: Int, child: ChildProcess, stdout: LineBuffer, stderr: LineBuffer) {
        self.name = name
        self.port = port
        self.child = child
        self.stdout = stdout
        self.stderr = stderr
    }

    deinit {
        if !child.hasExited {
            child.signal(SIGKILL)
            _ = child.wait(timeout: .seconds(5))
        }
    }

    /// `Tests/Fixtures/<name>`, found from this source file.
    static func scriptPath(_ name: String, sourceFile: String = #filePath) -> String {
        URL(fileURLWithPath: sourceFile)
            .deletingLastPathComponent()  // TracegateTestSupport
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures/\(name)").path
    }

    /// Starts `script` and waits for its `listening <port>` line. `pythonOptions` go before the
    /// script (e.g. `-S` to hide site-packages when testing the missing-module failure).
    /// - Throws: `toolMissing` without python3, `pythonModuleMissing` when the script reports a
    ///   missing module, `fixtureFailed` when it exits or stays silent for `timeout` (killed).
    static func startServer(
        script: String,
        arguments: [String],
        module: (module: String, pipPackage: String),
        timeout: Duration,
        pythonOptions: [String] = []
    ) throws(TestSupportError) -> PythonFixtureProcess {
        let name = URL(fileURLWithPath: script).lastPathComponent
        let stdout = LineBuffer()
        let stderr = LineBuffer()
        let child = try ChildProcess.spawn(
            path: try OTLPReceiver.interpreter(),
            arguments: pythonOptions + [script] + arguments,
            environment: ProcessInfo.processInfo.environment,
            stdinPipe: false,
            onStdout: { stdout.append($0) },
            onStderr: { stderr.append($0) })
        enum Startup {
            case listening(Int)
            case ended
        }
        let outcome = stdout.wait(timeout: timeout) { lines, finished -> Startup? in
            for line in lines where line.hasPrefix("listening ") {
                if let port = Int(line.dropFirst("listening ".count)) { return .listening(port) }
            }
            return finished ? .ended : nil
        }
        switch outcome {
        case .listening(let port):
            return PythonFixtureProcess(name: name, port: port, child: child, stdout: stdout, stderr: stderr)
        case .ended:
            let status = child.wait(timeout: .seconds(10))
            let errors = stderr.lines.joined(separator: "\n")
            if errors.contains("missing-python-module") {
                throw .pythonModuleMissing(module: module.module, pipPackage: module.pipPackage)
            }
            throw .fixtureFailed(name: name, detail: "exited with status \(status ?? -1) before listening; stderr:\n\(errors)")
        case nil:
            child.signal(SIGKILL)
            _ = child.wait(timeout: nil)
            throw .fixtureFailed(name: name, detail: "printed no `listening` line within \(timeout) (killed)")
        }
    }

    /// Runs a one-shot `script` to completion.
    /// - Throws: `pythonModuleMissing` (exit 3 with the marker line), `timedOut`, and
    ///   `fixtureFailed` for any other non-zero exit not listed in `acceptedStatuses`.
    static func run(
        script: String,
        arguments: [String],
        module: (module: String, pipPackage: String),
        acceptedStatuses: Set<Int32> = [0],
        timeout: Duration
    ) throws(TestSupportError) -> ToolResult {
        let result = try ExternalTool.run(try OTLPReceiver.interpreter(), [script] + arguments, timeout: timeout)
        if result.status == 3, result.stderr.contains("missing-python-module") {
            throw .pythonModuleMissing(module: module.module, pipPackage: module.pipPackage)
        }
        guard acceptedStatuses.contains(result.status) else {
            let name = URL(fileURLWithPath: script).lastPathComponent
            throw .fixtureFailed(
                name: name,
                detail: "exited with status \(result.status); stdout:\n\(result.stdoutText)\nstderr:\n\(result.stderr)")
        }
        return result
    }

    /// The JSON object lines (`{...}`) printed so far, from line index `start` on.
    func jsonLines(from start: Int = 0) -> [String] {
        let lines = stdout.lines
        return lines[min(start, lines.count)...].filter { $0.hasPrefix("{") }
    }

    /// Blocks until `match` returns a value for the JSON lines so far (and the end-of-stream
    /// flag), or `timeout` passes.
    func waitForJSONLines<R>(timeout: Duration, _ match: ([String], Bool) -> R?) -> R? {
        stdout.wait(timeout: timeout) { lines, finished in
            match(lines.filter { $0.hasPrefix("{") }, finished)
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within `timeout`. Idempotent.
    func stop(timeout: Duration) -> Int32? {
        if !child.hasExited { child.signal(SIGTERM) }
        if let status = child.wait(timeout: timeout) { return status }
        child.signal(SIGKILL)
        return child.wait(timeout: .seconds(5))
    }

    /// Everything the script wrote to stderr (tracebacks).
    var stderrText: String { stderr.lines.joined(separator: "\n") }

    /// Decodes one JSON line.
    static func decode<T: Decodable>(_ type: T.Type, _ line: String, what: String) throws(TestSupportError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(line.utf8))
        } catch {
            throw .malformed(what: what, detail: "\(error); line: \(line.prefix(500))")
        }
    }
}

/// A `[name, value]` JSON array, the shape the fixture scripts print header fields and
/// metadata in (an array of pairs keeps order and repeated names).
struct JSONFieldPair: Decodable {
    var name: String
    var value: String

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        name = try container.decode(String.self)
        value = try container.decode(String.self)
    }

    static func tuples(_ pairs: [JSONFieldPair]) -> [(name: String, value: String)] {
        pairs.map { ($0.name, $0.value) }
    }
}

/// Case-insensitive look-ups in ordered field lists, shared by the HTTP/2 and gRPC results.
enum FieldLookup {
    static func first(_ name: String, in fields: [(name: String, value: String)]) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    static func all(_ name: String, in fields: [(name: String, value: String)]) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
