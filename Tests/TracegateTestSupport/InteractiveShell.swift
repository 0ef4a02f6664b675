import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What one block of commands printed, and which of its commands failed.
public struct ShellBlockResult: Sendable {
    /// stdout and stderr together, in order, without the shell's own markers.
    public var output: String
    /// Each command that returned non-zero (the ERR trap's `$BASH_COMMAND`), in order.
    public var failedCommands: [String]
    /// False when the block did not finish within its timeout.
    public var finished: Bool

    public var succeeded: Bool { finished && failedCommands.isEmpty }
}

/// One long-lived `bash` fed blocks of commands one at a time, as an operator pastes them into
/// a terminal: variables a block sets are there for the next, and the test can act between
/// blocks (write a file, look at the proxy) before sending the next.
///
/// Why a persistent shell and not `bash -c` per block: a runbook's steps build on each other
/// (`TRACE_ID=$(…)` in one, `curl …$TRACE_ID` in the next). Why `source file </dev/null`: a
/// command that reads stdin would otherwise swallow the rest of the session. Failures are
/// caught per command by an ERR trap (with `set -E` so functions report too), not only by the
/// block's last status, so `false; true` fails the block.
public final class InteractiveShell: Sendable {
    private let child: ChildProcess
    private let output: LineBuffer
    private let directory: TempDir
    private let blocks = Mutex(0)

    private init(child: ChildProcess, directory: TempDir, output: LineBuffer) {
        self.child = child
        self.directory = directory
        self.output = output
    }

    /// Starts `bash --noprofile --norc` with exactly `environment` (plus `HOME` and a `PATH`
    /// when missing) and `pipefail`.
    public static func start(environment: [String: String]) throws(TestSupportError) -> InteractiveShell {
        let directory = try TempDir(prefix: "shell")
        var env = environment
        let inherited = ProcessInfo.processInfo.environment
        if env["PATH"] == nil { env["PATH"] = inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin" }
        if env["HOME"] == nil { env["HOME"] = directory.path }
        let buffer = LineBuffer()
        let child = try ChildProcess.spawn(
            path: "/bin/bash", arguments: ["--noprofile", "--norc"], environment: env, stdinPipe: true,
            // `exec 2>&1` below closes the stderr pipe at once: its end of stream must not end the buffer.
            onStdout: { buffer.append($0) }, onStderr: { if !$0.isEmpty { buffer.append($0) } })
        let shell = InteractiveShell(child: child, directory: directory, output: buffer)
        shell.send("set -E -o pipefail\nexec 2>&1\ntrap 'echo \"__TG_FAILED__ ${BASH_COMMAND}\"' ERR\n")
        return shell
    }

    /// Runs `script` in the session and waits for it to finish (or `timeout`).
    public func run(_ script: String, timeout: Duration = .seconds(60)) -> ShellBlockResult {
        let n = blocks.withLock { value -> Int in
            value += 1
            return value
        }
        let start = output.count
        let marker = "__TG_BLOCK_END_\(n)__"
        guard let path = try? directory.write("block-\(n).sh", script) else {
            return ShellBlockResult(output: "", failedCommands: ["cannot write the block"], finished: false)
        }
        send("source '\(path)' </dev/null\necho \(marker)\n")
        let lines = output.wait(timeout: timeout, from: start) { lines, finished -> [String]? in
            if let end = lines.firstIndex(of: marker) { return Array(lines[lines.startIndex..<end]) }
            return finished ? Array(lines) : nil
        }
        let body = lines ?? Array(output.lines.dropFirst(start))
        let failed = body.filter { $0.hasPrefix("__TG_FAILED__ ") }.map { String($0.dropFirst(14)) }
        let text = body.filter { !$0.hasPrefix("__TG_FAILED__ ") }.joined(separator: "\n")
        return ShellBlockResult(output: text, failedCommands: failed, finished: lines != nil && !output.isFinished)
    }

    /// Ends the session (its children with it) and removes its files.
    public func stop() {
        child.closeStdin()
        if child.wait(timeout: .seconds(5)) == nil {
            child.signal(SIGKILL)
            _ = child.wait(timeout: .seconds(5))
        }
    }

    private func send(_ text: String) {
        guard let fd = child.stdinFD else { return }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
