// StreamWriter: what a streaming admin response writes through (Server-Sent Events).
import CTracegateShims
import Glibc

/// The connection of one streaming response, owned by its server thread for the body's lifetime.
///
/// Why its own type: a stream lives for minutes, so it must notice by itself that it should end —
/// the client went away (a failed write, or the peer's FIN/RST seen by `poll` while idle), a
/// client that stopped reading (writes time out after `sendTimeout`), or the server stopping.
public final class StreamWriter: @unchecked Sendable {
    // Safety: used only by the one server thread that runs the stream body.
    private let fd: Int32
    private let server: SimpleHTTPServer
    private var broken = false

    /// A client that reads nothing for this long is dropped (its socket buffer stays full).
    static let sendTimeoutSeconds = 5

    init(fd: Int32, server: SimpleHTTPServer) {
        self.fd = fd
        self.server = server
        var timeout = timeval(tv_sec: StreamWriter.sendTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// False once the client is gone or the server stops: the body should return.
    public var isOpen: Bool {
        if broken || server.isStopped { return false }
        var p = pollfd(fd: fd, events: Int16(POLLIN) | Int16(0x2000) /* POLLRDHUP */, revents: 0)
        if poll(&p, 1, 0) > 0 {
            // A client of an event stream sends nothing after its request: readable means it
            // closed (or sent garbage), and either way the stream is over.
            if p.revents & (Int16(0x2000) /* POLLRDHUP */ | Int16(POLLHUP) | Int16(POLLERR)) != 0 { broken = true }
            var scratch = (UInt64(0), UInt64(0))
            if !broken, withUnsafeMutableBytes(of: &scratch, { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) <= 0 {
                broken = true
            }
        }
        return !broken
    }

    /// Writes every byte; false (and the stream is over) when the client is gone or stalled.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !broken else { return false }
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    broken = true
                    return
                }
            }
        }
        return !broken
    }

    public func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// Sleeps up to `millis`, waking early (false) when the stream should end.
    public func pause(millis: Int) -> Bool {
        var left = millis
        while left > 0 {
            guard isOpen else { return false }
            let step = min(left, 100)
            usleep(UInt32(step) * 1000)
            left -= step
        }
        return isOpen
    }
}
