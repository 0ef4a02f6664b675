#if canImport(Glibc)
import Glibc
#endif

/// The sockets, threads and records behind an `UpstreamFixture`.
///
/// Separate from the public class so that the threads hold this object, not the fixture:
/// the fixture's `deinit` can then stop everything if a test forgot `stop()`.
final class FixtureServer: @unchecked Sendable {
    let port: Int
    let handler: @Sendable (FixtureRequest) -> FixtureResponse
    let monitor = Monitor(State())
    private let listenFD: Int32
    private let stopReadFD: Int32
    private let stopWriteFD: Int32

    struct State {
        var requests: [FixtureRequest] = []
        var protocolErrors: [String] = []
        var acceptedConnections = 0
        var liveConnections: [Int: Int32] = [:]
        var acceptor: NativeThread?
        var stopping = false
        var stopped = false
    }

    private init(listenFD: Int32, port: Int, stopPipe: (Int32, Int32), handler: @escaping @Sendable (FixtureRequest) -> FixtureResponse) {
        self.listenFD = listenFD
        self.port = port
        self.stopReadFD = stopPipe.0
        self.stopWriteFD = stopPipe.1
        self.handler = handler
    }

    static func start(_ handler: @escaping @Sendable (FixtureRequest) -> FixtureResponse) throws(TestSupportError) -> FixtureServer {
        let (fd, port) = try POSIXSocket.listen()
        let stopPipe: (read: Int32, write: Int32)
        do throws(TestSupportError) {
            stopPipe = try GNUCalls.pipe()
        } catch {
            close(fd)
            throw error
        }
        let server = FixtureServer(listenFD: fd, port: port, stopPipe: stopPipe, handler: handler)
        do throws(TestSupportError) {
            let acceptor = try NativeThread.spawn { [server] in server.acceptLoop() }
            server.monitor.update { $0.acceptor = acceptor }
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Closes the listener and every connection and joins all threads. Idempotent.
    func stop() {
        let first = monitor.update { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else {
            _ = monitor.wait(timeout: nil) { $0.stopped ? true : nil }
            return
        }
        var byte: UInt8 = 1
        _ = write(stopWriteFD, &byte, 1)
        monitor.read { $0.acceptor }?.join()
        close(listenFD)
        monitor.update { state in
            for fd in state.liveConnections.values { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        _ = monitor.wait(timeout: nil) { $0.liveConnections.isEmpty ? true : nil }
        close(stopReadFD)
        close(stopWriteFD)
        monitor.update { $0.stopped = true }
    }

    /// Sleeps for `duration` unless `stop()` is called first; `false` when stopping.
    /// (The origin is *meant* to be slow here; this is not waiting for readiness.)
    func pause(_ duration: Duration) -> Bool {
        var entry = pollfd(fd: stopReadFD, events: Int16(POLLIN), revents: 0)
        let deadline = MonotonicDeadline(after: duration)
        while !deadline.hasExpired {
            let result = poll(&entry, 1, deadline.remainingMilliseconds)
            if result > 0 { return false }
            if result < 0 && errno != EINTR { return false }
        }
        return !monitor.read { $0.stopping }
    }

    func record(_ request: FixtureRequest) {
        monitor.update { $0.requests.append(request) }
    }

    func recordProtocolError(_ description: String) {
        monitor.update { $0.protocolErrors.append(description) }
    }

    private func acceptLoop() {
        var entries = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: stopReadFD, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&entries, 2, -1)
            if ready < 0 { if errno == EINTR { continue } else { return } }
            if entries[1].revents != 0 { return }
            let fd = GNUCalls.accept(listenFD)
            if fd < 0 { continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let number: Int? = monitor.update { state in
                guard !state.stopping else { return nil }
                state.acceptedConnections += 1
                state.liveConnections[state.acceptedConnections] = fd
                return state.acceptedConnections
            }
            guard let number else {
                close(fd)
                return
            }
            do throws(TestSupportError) {
                try NativeThread.detach { [self] in
                    var connection = FixtureConnection(server: self, fd: fd, number: number)
                    connection.run()
                    self.closeConnection(number)
                }
            } catch {
                closeConnection(number)
            }
        }
    }

    /// Unregisters and closes a connection under the lock, so `stop()` never shuts down a
    /// descriptor number that was already reused.
    private func closeConnection(_ number: Int) {
        monitor.update { state in
            if let fd = state.liveConnections.removeValue(forKey: number) { close(fd) }
        }
    }
}
