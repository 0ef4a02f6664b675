import Foundation

/// Reading what the proxy printed: stderr carries JSON log lines (`{"level":…,"event":…}`),
/// stdout one access-log JSON line per request.
extension ProxyProcess {
    /// Every complete stderr line so far (ready line included).
    public func stderrLines() -> [String] { stderrBuffer.lines }

    /// Every complete stdout line so far.
    public func stdoutLines() -> [String] { stdoutBuffer.lines }

    /// Number of stderr lines so far: pass it as `after` to wait only for newer lines.
    public var stderrLineCount: Int { stderrBuffer.count }

    /// Blocks until a stderr line at index `after` or later contains `text`; returns that
    /// line, or `nil` on timeout or once stderr ended without one.
    public func waitForStderr(containing text: String, timeout: Duration = .seconds(10), after: Int = 0) -> String? {
        stderrBuffer.wait(timeout: timeout, from: after) { lines, finished in
            if let line = lines.first(where: { $0.contains(text) }) { return .some(line) }
            return finished ? .some(nil) : nil
        } ?? nil
    }

    /// Blocks until stdout has at least `count` lines; returns them, or `nil` on timeout or
    /// once stdout ended with fewer.
    public func waitForStdoutLines(count: Int, timeout: Duration = .seconds(10)) -> [String]? {
        stdoutBuffer.wait(timeout: timeout) { lines, finished in
            if lines.count >= count { return .some(Array(lines)) }
            return finished ? .some(nil) : nil
        } ?? nil
    }

    /// stdout lines that are JSON objects: the access log.
    public func accessLogEntries() -> [[String: Any]] {
        stdoutBuffer.lines.compactMap(Self.jsonObject)
    }

    /// stderr JSON lines whose `event` is `event`.
    public func stderrEvents(_ event: String) -> [[String: Any]] {
        stderrBuffer.lines.compactMap(Self.jsonObject).filter { $0["event"] as? String == event }
    }

    static func jsonObject(_ line: String) -> [String: Any]? {
        guard line.hasPrefix("{") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
