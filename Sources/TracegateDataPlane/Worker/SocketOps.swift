// SocketOps: thin, allocation-free wrappers over the socket syscalls the data plane uses.
import CTracegateShims
import Glibc

/// Socket syscalls with errno folded into the return value, so callers switch on one enum and never
/// touch the thread-local errno macro themselves.
enum SocketOps {
    /// The outcome of a read or write: bytes moved, would block, end of stream, or an errno.
    enum IOResult: Equatable {
        case bytes(Int)
        case wouldBlock
        case eof
        case error(Int32)
    }

    /// Creates a non-blocking TCP listening socket with SO_REUSEPORT (one per worker per listener,
    /// so the kernel spreads connections without a shared accept lock).
    static func listen(address: SocketAddress, backlog: Int32 = 4096) -> Result<Int32, SocketError> {
        let fd = socket(Int32(address.family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { return .failure(SocketError(operation: "socket", errno: tg_errno())) }
        _ = tg_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        _ = tg_setsockopt_int(fd, SOL_SOCKET, SO_REUSEPORT, 1)
        if address.family == AF_INET6 { _ = tg_setsockopt_int(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        let rc = address.withSockAddr { bind(fd, $0, $1) }
        if rc != 0 {
            let e = tg_errno(); close(fd)
            return .failure(SocketError(operation: "bind \(address)", errno: e))
        }
        if Glibc.listen(fd, backlog) != 0 {
            let e = tg_errno(); close(fd)
            return .failure(SocketError(operation: "listen \(address)", errno: e))
        }
        return .success(fd)
    }

    /// Starts a non-blocking connect. `.success(true)` when connected at once (rare on TCP),
    /// `.success(false)` when in progress (EPOLLOUT reports completion).
    static func connect(to address: SocketAddress) -> (fd: Int32, result: Result<Bool, SocketError>) {
        let fd = socket(Int32(address.family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { return (-1, .failure(SocketError(operation: "socket", errno: tg_errno()))) }
        _ = tg_setsockopt_int(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return (fd, .success(true)) }
        let e = tg_errno()
        if e == EINPROGRESS { return (fd, .success(false)) }
        return (fd, .failure(SocketError(operation: "connect", errno: e)))
    }

    @inline(__always)
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if n > 0 { return .bytes(n) }
        if n == 0 { return .eof }
        let e = tg_errno()
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { return .wouldBlock }
        return .error(e)
    }

    /// Writes up to two spans with one `writev` (a rewritten head plus body bytes that follow it).
    @inline(__always)
    static func write(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> IOResult {
        var iov = (iovec(), iovec())
        var count: Int32 = 0
        if first.count > 0 {
            iov.0 = iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count)
            count = 1
        }
        if second.count > 0 {
            let v = iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
            if count == 0 { iov.0 = v } else { iov.1 = v }
            count += 1
        }
        if count == 0 { return .bytes(0) }
        let n: Int
        if count == 1 {
            n = Glibc.write(fd, iov.0.iov_base, iov.0.iov_len)
        } else {
            n = withUnsafePointer(to: &iov) { $0.withMemoryRebound(to: iovec.self, capacity: 2) { writev(fd, $0, 2) } }
        }
        if n >= 0 { return .bytes(n) }
        let e = tg_errno()
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { return .wouldBlock }
        return .error(e)
    }
}

/// A failed socket call: which operation and the errno, for start-up errors and logs.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }
    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
