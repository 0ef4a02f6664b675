// TransportError.swift — why an export request got no HTTP answer.
import Glibc

/// Why one export request produced no usable HTTP response.
enum TransportError: Error, Sendable, CustomStringConvertible {
    case resolve(host: String, message: String)
    case connect(address: String, errno: Int32)
    case send(errno: Int32)
    case receive(errno: Int32)
    /// The collector closed the connection before a complete response.
    case closedEarly
    /// `phase` did not finish by the request deadline.
    case timedOut(phase: String)
    /// Shutdown's flush time ran out while the request was in flight.
    case stopped
    case malformedResponse(String)

    /// Whether one retry is worth it: the collector was not reached, or dropped a (possibly stale
    /// keep-alive) connection before answering. Timeouts are not retried: the collector may have
    /// the request already, and a hung collector would hold the exporter twice as long while the
    /// queue fills. A malformed answer will not get better by asking again.
    var isRetryable: Bool {
        switch self {
        case .resolve, .connect, .send, .receive, .closedEarly: return true
        case .timedOut, .stopped, .malformedResponse: return false
        }
    }

    var description: String {
        switch self {
        case .resolve(let host, let message): return "cannot resolve collector host \(host): \(message)"
        case .connect(let address, let code): return "cannot connect to collector \(address): \(Self.text(code))"
        case .send(let code): return "sending to the collector failed: \(Self.text(code))"
        case .receive(let code): return "reading from the collector failed: \(Self.text(code))"
        case .closedEarly: return "the collector closed the connection before a complete response"
        case .timedOut(let phase): return "the collector did not answer in time (\(phase))"
        case .stopped: return "export abandoned: shutdown flush time ran out"
        case .malformedResponse(let detail): return "malformed response from the collector: \(detail)"
        }
    }

    private static func text(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: message)) (errno \(code))"
    }
}
