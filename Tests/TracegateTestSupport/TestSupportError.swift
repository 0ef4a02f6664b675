#if canImport(Glibc)
import Glibc
#endif

/// The one error type of the test-support library.
///
/// A single typed error keeps `throws(TestSupportError)` composable across fixtures
/// (a `ProxyProcess` uses `TempDir`, `ExternalTool` uses the process spawner, ...), and
/// every case renders a message that tells the reader what to do next, because these
/// messages end up verbatim in failed test reports.
public enum TestSupportError: Error, CustomStringConvertible, Sendable {
    /// A socket system call failed; `errno` is the C error number.
    case socket(operation: String, errno: Int32)
    /// Reading or writing a file failed.
    case file(path: String, message: String)
    /// `posix_spawn` (or a preparation step such as `pipe2`) failed.
    case spawn(path: String, errno: Int32)
    /// A required external tool is not installed.
    case toolMissing(name: String, debianPackage: String)
    /// An external command ran longer than its timeout and was killed.
    case timedOut(command: String, after: Duration, stderr: String)
    /// The `tracegate` binary could not be located.
    case binaryNotFound(searched: [String])
    /// The proxy exited before it printed its ready line.
    case proxyExited(status: Int32, stderr: String)
    /// The proxy did not print its ready line in time (it was killed).
    case proxyNotReady(after: Duration, stderr: String)
    /// A listener name that the proxy's ready line does not contain.
    case unknownListener(name: String, known: [String])
    /// A response or file could not be parsed.
    case malformed(what: String, detail: String)
    /// A Python module a fixture imports is not installed.
    case pythonModuleMissing(module: String, pipPackage: String)
    /// A fixture process exited or stayed silent before it was ready.
    case fixtureFailed(name: String, detail: String)

    /// A message for test reports that says what to do next.
    public var description: String {
        switch self {
        case .socket(let operation, let code):
            return "\(operation) failed: \(Self.describe(errno: code)) (errno \(code))"
        case .file(let path, let message):
            return "file \(path): \(message)"
        case .spawn(let path, let code):
            return "cannot start \(path): \(Self.describe(errno: code)) (errno \(code))"
        case .toolMissing(let name, let package):
            return "required tool `\(name)` is not installed: it is provided by the Debian package "
                + "`\(package)`, which `scripts/test.sh` installs (or run `apt-get install -y \(package)`). "
                + "Tests never skip a missing tool."
        case .timedOut(let command, let after, let stderr):
            return "`\(command)` did not finish within \(after) and was killed; stderr so far:\n\(stderr)"
        case .binaryNotFound(let searched):
            return "the `tracegate` executable was not found; run `swift build` first "
                + "(or set TRACEGATE_BIN to its path). Looked at:\n  " + searched.joined(separator: "\n  ")
        case .proxyExited(let status, let stderr):
            return "tracegate exited with status \(status) before it was ready; stderr:\n\(stderr)"
        case .proxyNotReady(let after, let stderr):
            return "tracegate printed no ready line within \(after) (killed); stderr:\n\(stderr)"
        case .unknownListener(let name, let known):
            return "the ready line has no listener named `\(name)`; it has: \(known.sorted())"
        case .malformed(let what, let detail):
            return "malformed \(what): \(detail)"
        case .pythonModuleMissing(let module, let package):
            return "required Python module `\(module)` is not installed: it is provided by the PyPI package "
                + "`\(package)`, which `scripts/test.sh` installs (or run `python3 -m pip install \(package)`). "
                + "Tests never skip a missing tool."
        case .fixtureFailed(let name, let detail):
            return "test fixture \(name) failed: \(detail)"
        }
    }

    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error" }
        return String(cString: text)
    }
}
