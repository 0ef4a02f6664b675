import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What an external command produced.
public struct ToolResult: Sendable {
    /// Exit code, or 128 + signal number when a signal ended the command.
    public var status: Int32
    /// Everything written to stdout.
    public var stdout: [UInt8]
    /// Everything written to stderr, as UTF-8 text.
    public var stderr: String

    /// stdout decoded as UTF-8.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// External programs the tests drive (curl, nghttp, h2load, openssl, promtool...).
///
/// The project's rule: a test that needs a tool *fails* when the tool is missing, locally
/// and under `CI=true` alike, because `scripts/test.sh` installs every tool; a skipped test
/// would hide a broken install step. `require` therefore throws, with the package to install.
public enum ExternalTool {
    /// The Debian package that provides each tool the tests use.
    public static let debianPackages: [String: String] = [
        "curl": "curl",
        "nghttp": "nghttp2-client",
        "nghttpd": "nghttp2-server",
        "nghttpx": "nghttp2-proxy",
        "h2load": "nghttp2-client",
        "openssl": "openssl",
        "promtool": "prometheus",
        "ps": "procps",
        "pgrep": "procps",
        "python3": "python3",
        "systemd-analyze": "systemd",
    ]

    /// Directories searched after `$PATH`, so a minimal `PATH` in a test runner still finds
    /// system tools.
    static let fallbackDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The absolute path of the executable `name`, or `nil`.
    public static func find(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + fallbackDirectories
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The absolute path of the executable `name`; throws `toolMissing` (naming the Debian
    /// package and `scripts/test.sh`) when it is not installed.
    public static func require(_ name: String) throws(TestSupportError) -> String {
        guard let path = find(name) else {
            throw .toolMissing(name: name, debianPackage: debianPackages[name] ?? name)
        }
        return path
    }

    /// Runs `executable` (an absolute path, or a name looked up with `require`) with
    /// `arguments`, feeding `stdin` (or /dev/null), and collects its output. The child
    /// inherits this process's environment plus `environment`.
    /// - Throws: `timedOut` (after killing it) when it runs longer than `timeout`.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        stdin: Data? = nil,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) throws(TestSupportError) -> ToolResult {
        let path = executable.contains("/") ? executable : try require(executable)
        let stdout = Monitor([UInt8]())
        let stderr = Monitor([UInt8]())
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let child = try ChildProcess.spawn(
            path: path, arguments: arguments, environment: merged, stdinPipe: stdin != nil,
            onStdout: { bytes in stdout.update { $0.append(contentsOf: bytes) } },
            onStderr: { bytes in stderr.update { $0.append(contentsOf: bytes) } })
        if let stdin, let fd = child.stdinFD {
            let bytes = [UInt8](stdin)
            // A separate writer, so a child that never reads stdin still times out normally.
            do throws(TestSupportError) {
                try NativeThread.detach {
                    _ = bytes.withUnsafeBytes { writeAll(fd, $0) }
                    close(fd)
                }
            } catch {
                close(fd)
            }
        }
        guard let status = child.wait(timeout: timeout) else {
            child.signal(SIGKILL)
            _ = child.wait(timeout: nil)
            let command = ([path] + arguments).joined(separator: " ")
            throw .timedOut(command: command, after: timeout, stderr: stderr.read { String(decoding: $0, as: UTF8.self) })
        }
        return ToolResult(
            status: status,
            stdout: stdout.read { $0 },
            stderr: stderr.read { String(decoding: $0, as: UTF8.self) })
    }

    /// Writes every byte to a pipe; stops when the reader is gone (EPIPE, SIGPIPE is ignored).
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
