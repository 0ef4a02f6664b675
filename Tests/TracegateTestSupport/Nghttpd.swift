import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// nghttp2's own HTTP/2 server (`nghttpd`, Debian `nghttp2-server`) serving a temporary document
/// root: the reference peer built on the same libnghttp2 (1.52) as the proxy, with that library's
/// default defences (e.g. the rapid-reset limit answers GOAWAY(INTERNAL_ERROR) after ~1000 reset
/// streams). `h2_flood.py` is checked against it.
///
/// nghttpd cannot report a port it was given as 0, so a free port is picked (bound, then released)
/// and nghttpd retried on another one if something took it meanwhile. It runs with `-v`, whose
/// "IPv4: listen" line says it is ready; the rest of that frame log is in `output`.
/// Always `defer { server.stop() }`; `deinit` kills a server a test forgot.
public final class Nghttpd: Sendable {
    /// The port on 127.0.0.1.
    public let port: Int
    /// The served directory (holds `index.html` with "hello from nghttpd\n"); tests may add files.
    public let documentRoot: TempDir
    /// Whether it serves TLS (ALPN h2).
    public let isTLS: Bool
    private let child: ChildProcess
    private let stdout: LineBuffer
    private let stderr: LineBuffer

    /// "127.0.0.1:PORT".
    public var address: String { "127.0.0.1:\(port)" }

    /// `http://127.0.0.1:PORT<path>` (or `https://` with TLS).
    public func url(_ path: String = "/") -> String {
        "\(isTLS ? "https" : "http")://\(address)\(path)"
    }

    private init(port: Int, documentRoot: TempDir, isTLS: Bool, child: ChildProcess, stdout: LineBuffer, stderr: LineBuffer) {
        self.port = port
        self.documentRoot = documentRoot
        self.isTLS = isTLS
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

    /// Starts nghttpd (h2c prior knowledge, or TLS with `tls`) and waits until it listens.
    /// - Parameters:
    ///   - maxConcurrentStreams: `-m` (nghttpd's default is 100).
    ///   - extraArguments: more nghttpd options, e.g. `["-w", "16"]`.
    /// - Throws: `toolMissing` without nghttpd, `fixtureFailed` when it does not start.
    public static func start(
        tls: TestCertificate? = nil,
        maxConcurrentStreams: Int? = nil,
        extraArguments: [String] = [],
        timeout: Duration = .seconds(20)
    ) throws(TestSupportError) -> Nghttpd {
        let nghttpd = try ExternalTool.require("nghttpd")
        let root = try TempDir(prefix: "nghttpd")
        try root.write("index.html", "hello from nghttpd\n")
        var failures = [String]()
        for _ in 0..<5 {
            let port = try UpstreamFixture.freePort()
            var arguments = ["-v", "-a", "127.0.0.1", "-d", root.path]
            if let maxConcurrentStreams { arguments += ["-m", String(maxConcurrentStreams)] }
            arguments += extraArguments
            if let tls {
                arguments += [String(port), tls.keyPath, tls.certificatePath]
            } else {
                arguments += ["--no-tls", String(port)]
            }
            let stdout = LineBuffer()
            let stderr = LineBuffer()
            let child = try ChildProcess.spawn(
                path: nghttpd, arguments: arguments, environment: ProcessInfo.processInfo.environment,
                stdinPipe: false, onStdout: { stdout.append($0) }, onStderr: { stderr.append($0) })
            let ready = stdout.wait(timeout: timeout) { lines, finished -> Bool? in
                if lines.contains(where: { $0.hasPrefix("IPv4: listen 127.0.0.1:\(port)") }) { return true }
                return finished ? false : nil
            }
            if ready == true {
                return Nghttpd(port: port, documentRoot: root, isTLS: tls != nil, child: child, stdout: stdout, stderr: stderr)
            }
            child.signal(SIGKILL)
            _ = child.wait(timeout: .seconds(5))
            let text = (stdout.lines + stderr.lines).joined(separator: "\n")
            failures.append("port \(port): \(ready == nil ? "no listen line within \(timeout)" : "exited"): \(text)")
            guard text.contains("Address already in use") else { break }
        }
        throw .fixtureFailed(name: "nghttpd", detail: failures.joined(separator: "\n"))
    }

    /// nghttpd's `-v` log so far (frames sent and received).
    public var output: String { stdout.lines.joined(separator: "\n") }

    /// Whether nghttpd is still running.
    public var isRunning: Bool { !child.hasExited }

    /// SIGTERM, then SIGKILL if it has not exited within `timeout`. Idempotent.
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Int32? {
        if !child.hasExited { child.signal(SIGTERM) }
        if let status = child.wait(timeout: timeout) { return status }
        child.signal(SIGKILL)
        return child.wait(timeout: .seconds(5))
    }
}
