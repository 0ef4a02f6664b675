// CollectorClient.swift — one keep-alive HTTP/1.1 connection to the collector.
import CTracegateShims
import Glibc
import TracegateHTTP

/// POSTs export requests over one reused HTTP/1.1 connection, owned by the exporter thread.
///
/// Every socket is non-blocking and every wait is a `poll` bounded by the request deadline (and the
/// shutdown deadline), so a collector that accepts and then never answers costs at most `timeout`.
/// The wake eventfd is polled alongside, so a shutdown request is noticed mid-request. DNS
/// (`getaddrinfo`) is the one blocking step; it runs here, never on a caller's thread.
final class CollectorClient {
    /// Largest response body read; collectors answer with a few bytes, anything bigger is not OTLP.
    static let maxResponseBody = 1 << 20
    static let headLimits = HeadLimits(maxHeadBytes: 64 * 1024, maxHeaderCount: 100)

    let endpoint: OTLPEndpoint
    private let shared: ExportShared
    /// Request line and fixed fields up to `Content-Length: ` (its value and the body follow).
    private let headPrefix: [UInt8]
    var fd: Int32 = -1
    /// Received bytes not yet parsed.
    var buffer: [UInt8] = []
    /// Scratch space for `recv`, reused across reads.
    private var chunk = [UInt8](repeating: 0, count: 16 * 1024)

    init(shared: ExportShared) {
        let configuration = shared.configuration
        self.shared = shared
        endpoint = configuration.endpoint
        let agent = configuration.version.isEmpty ? "tracegate" : "tracegate/\(configuration.version)"
        var head = "POST \(endpoint.path) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\nUser-Agent: \(agent)\r\n"
        head += "Content-Type: application/x-protobuf\r\n"
        for (name, value) in configuration.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: "
        headPrefix = Array(head.utf8)
    }

    deinit {
        disconnect()
    }

    /// Sends one request and reads the whole response, by `deadline`.
    func post(_ body: [UInt8], deadline: MonotonicTime) -> Result<CollectorResponse, TransportError> {
        do throws(TransportError) {
            if fd >= 0 && !idleConnectionIsUsable() { disconnect() }
            if fd < 0 { try connect(deadline: deadline) }
            var request = headPrefix
            request.reserveCapacity(headPrefix.count + 16 + body.count)
            request.append(contentsOf: "\(body.count)\r\n\r\n".utf8)
            request.append(contentsOf: body)
            try sendAll(request, deadline: deadline)
            let (response, keepAlive) = try readResponse(deadline: deadline)
            if !keepAlive { disconnect() }
            return .success(response)
        } catch {
            disconnect()
            return .failure(error)
        }
    }

    func disconnect() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// An idle keep-alive connection has nothing to read; if it is readable, the collector closed
    /// it (or sent garbage), and reusing it would only fail the next request.
    private func idleConnectionIsUsable() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// Blocks until `fd` is ready for `events`, the wake eventfd fires (then re-checks the shutdown
    /// deadline), or the deadline passes.
    func waitReady(_ events: Int32, deadline: MonotonicTime, phase: String) throws(TransportError) {
        while true {
            let stop = shared.stopDeadline
            let effective = stop.map { min($0, deadline) } ?? deadline
            if effective.hasPassed {
                if let stop, stop <= deadline { throw .stopped }
                throw .timedOut(phase: phase)
            }
            var descriptors = [
                pollfd(fd: fd, events: Int16(events), revents: 0),
                pollfd(fd: shared.wake.fd, events: Int16(POLLIN), revents: 0),
            ]
            let result = poll(&descriptors, 2, effective.remainingMilliseconds)
            if result < 0 {
                if tg_errno() == EINTR { continue }
                throw .receive(errno: tg_errno())
            }
            if descriptors[1].revents != 0 { shared.wake.drain() }
            // POLLERR/POLLHUP count as ready: the next call reports the actual error.
            if descriptors[0].revents != 0 { return }
        }
    }

    private func sendAll(_ bytes: [UInt8], deadline: MonotonicTime) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = tg_errno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try waitReady(POLLOUT, deadline: deadline, phase: "sending the request")
                continue
            }
            throw .send(errno: code)
        }
    }

    /// Reads more bytes into `buffer`; returns false at end of stream.
    func receiveMore(deadline: MonotonicTime, phase: String) throws(TransportError) -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 { return false }
            let code = tg_errno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try waitReady(POLLIN, deadline: deadline, phase: phase)
                continue
            }
            throw .receive(errno: code)
        }
    }
}
