/// A thread-safe buffer of text lines fed by a pipe reader thread.
///
/// The proxy's stdout (access log) and stderr (JSON logs, the ready line) are read as fast
/// as they come, so the pipes never fill up and block the proxy; tests read snapshots or
/// block on the condition variable until a line they expect shows up.
final class LineBuffer: Sendable {
    private struct State {
        var lines: [String] = []
        var partial: [UInt8] = []
        var finished = false
    }

    private let monitor = Monitor(State())

    /// Adds bytes; an empty array marks the end of the stream (a last unterminated line
    /// is then kept as a line).
    func append(_ bytes: [UInt8]) {
        monitor.update { state in
            if bytes.isEmpty {
                if !state.partial.isEmpty { state.lines.append(Self.text(state.partial)) }
                state.partial = []
                state.finished = true
                return
            }
            var lineStart = 0
            for index in bytes.indices where bytes[index] == 10 {
                state.partial.append(contentsOf: bytes[lineStart..<index])
                state.lines.append(Self.text(state.partial))
                state.partial = []
                lineStart = index + 1
            }
            state.partial.append(contentsOf: bytes[lineStart...])
        }
    }

    /// Complete lines so far.
    var lines: [String] { monitor.read { $0.lines } }

    /// Number of complete lines so far.
    var count: Int { monitor.read { $0.lines.count } }

    /// Whether the stream has ended.
    var isFinished: Bool { monitor.read { $0.finished } }

    /// Blocks until `match` returns a value for the lines from index `start` on (and the
    /// end-of-stream flag), or `timeout` passes.
    func wait<R>(timeout: Duration, from start: Int = 0, _ match: (ArraySlice<String>, Bool) -> R?) -> R? {
        monitor.wait(timeout: timeout) { state in
            match(state.lines[min(start, state.lines.count)...], state.finished)
        }
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var line = bytes[...]
        if line.last == 13 { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
