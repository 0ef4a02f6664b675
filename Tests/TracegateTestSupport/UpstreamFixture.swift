#if canImport(Glibc)
import Glibc
#endif

/// An in-process HTTP/1.1 origin on 127.0.0.1 with an ephemeral port, started and stopped
/// by the test that uses it.
///
/// One thread per connection, persistent connections (RFC 9112 §9.3) and pipelining, request
/// bodies de-framed and fingerprinted as they stream (never more than 1 MiB kept), and
/// responses scripted by the handler (`FixtureResponse`), failure modes included. Every
/// request is recorded *before* its response is written, so once a client has its response
/// the test can read `requests` without waiting.
///
/// For a request with `Expect: 100-continue` the handler is called twice: first with
/// `isAwaitingContinue == true` and no body (its answer's `rejectExpect`/`sendContinue`
/// decide what happens to the expectation, everything else in it is ignored), then as usual
/// with the complete request. Only the complete request is recorded (or the head alone when
/// the expectation was rejected).
///
/// A class: it owns sockets and threads, and `deinit` stops it if a test forgot to (tests
/// should still `defer { fixture.stop() }`).
public final class UpstreamFixture: Sendable {
    private let server: FixtureServer

    /// The port the kernel assigned.
    public var port: Int { server.port }
    /// "127.0.0.1:PORT", the form a proxy config's upstream address takes.
    public var address: String { "127.0.0.1:\(server.port)" }

    private init(server: FixtureServer) {
        self.server = server
    }

    deinit {
        server.stop()
    }

    /// Starts listening on 127.0.0.1:0 and accepting on a background thread. Returns once the
    /// socket listens: connections queue in the backlog, so there is nothing else to wait for.
    public static func start(
        _ handler: @escaping @Sendable (FixtureRequest) -> FixtureResponse = UpstreamFixture.echo
    ) throws(TestSupportError) -> UpstreamFixture {
        UpstreamFixture(server: try FixtureServer.start(handler))
    }

    /// Connections accepted so far.
    public var acceptedConnections: Int { server.monitor.read { $0.acceptedConnections } }

    /// Connections currently open (accepted and not yet closed by either side).
    public var openConnections: Int { server.monitor.read { $0.liveConnections.count } }

    /// Every request received so far, in completion order (a snapshot).
    public var requests: [FixtureRequest] { server.monitor.read { $0.requests } }

    /// Requests the fixture could not parse (bad framing, oversized head, close mid-head...),
    /// described. A proxy under test should never cause one.
    public var protocolErrors: [String] { server.monitor.read { $0.protocolErrors } }

    /// Blocks until at least `count` requests were recorded; `false` on timeout.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(10)) -> Bool {
        server.monitor.wait(timeout: timeout) { $0.requests.count >= count ? true : nil } ?? false
    }

    /// Blocks until at least `count` connections were accepted; `false` on timeout.
    public func waitForConnections(count: Int, timeout: Duration = .seconds(10)) -> Bool {
        server.monitor.wait(timeout: timeout) { $0.acceptedConnections >= count ? true : nil } ?? false
    }

    /// Blocks until at most `count` connections are open (e.g. the proxy closed its idle
    /// pool); `false` on timeout.
    public func waitForOpenConnections(atMost count: Int, timeout: Duration = .seconds(10)) -> Bool {
        server.monitor.wait(timeout: timeout) { $0.liveConnections.count <= count ? true : nil } ?? false
    }

    /// Closes the listener and every connection (hung and slow ones included) and joins all
    /// threads. Idempotent.
    public func stop() {
        server.stop()
    }

    /// A port on 127.0.0.1 that was free a moment ago, for a child process to listen on (bound
    /// to 0 to learn it, then closed). Retry on EADDRINUSE: another process may take it first.
    public static func freePort() throws(TestSupportError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw .socket(operation: "bind 127.0.0.1:0", errno: errno) }
        return try POSIXSocket.localPort(fd)
    }

    /// A port on 127.0.0.1 where nothing listens: a socket bound to port 0 and never put in
    /// `listen`, so a connect gets RST (ECONNREFUSED).
    ///
    /// The socket stays open for the life of the test process (deliberately never closed): a
    /// closed port goes back to the kernel, and the next `bind(0)` — the proxy's own admin
    /// listener, say — could get it, turning "refused" into a live server. Retries made that
    /// window real: the second attempt reached a port taken in the meantime.
    public static func refusingPort() throws(TestSupportError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw .socket(operation: "bind 127.0.0.1:0", errno: errno)
        }
        return try POSIXSocket.localPort(fd)
    }
}
