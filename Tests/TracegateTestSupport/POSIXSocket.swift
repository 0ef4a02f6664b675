#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over the BSD socket calls the fixtures need (IPv4 loopback only).
///
/// Every descriptor is created close-on-exec so that a `tracegate` or `curl` child
/// started by another test never inherits (and keeps open) a fixture's socket.
enum POSIXSocket {
    /// SIGPIPE would kill the whole test process when a peer closes mid-write; sends use
    /// `MSG_NOSIGNAL`, and pipe writes rely on this process-wide ignore (children get the
    /// default disposition back through `POSIX_SPAWN_SETSIGDEF`).
    static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// A listening socket on `host:0` (an ephemeral port), and the port the kernel chose.
    static func listen(host: String = "127.0.0.1", backlog: Int32 = 512) throws(TestSupportError) -> (fd: Int32, port: Int) {
        _ = ignoreSIGPIPE
        let fd = try makeSocket()
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        do throws(TestSupportError) {
            try bind(fd, host: host, port: 0)
            guard Glibc.listen(fd, backlog) == 0 else { throw TestSupportError.socket(operation: "listen", errno: errno) }
            return (fd, try localPort(fd))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// A connected client socket to `127.0.0.1:port`, optionally bound to `source` first
    /// (Linux routes all of 127.0.0.0/8 to `lo`, so 127.0.0.2 works without set-up).
    static func connect(port: Int, host: String = "127.0.0.1", source: String? = nil) throws(TestSupportError) -> Int32 {
        _ = ignoreSIGPIPE
        let fd = try makeSocket()
        do throws(TestSupportError) {
            if let source { try bind(fd, host: source, port: 0) }
            var address = try socketAddress(host: host, port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else { throw TestSupportError.socket(operation: "connect to \(host):\(port)", errno: errno) }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Writes every byte (looping over partial sends); `false` when the peer is gone.
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { sendAll(fd, $0) }
    }

    /// Makes the next `close` send RST instead of FIN (SO_LINGER with a zero timeout).
    static func armReset(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    /// The local port a socket is bound to.
    static func localPort(_ fd: Int32) throws(TestSupportError) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .socket(operation: "getsockname", errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The remote address of a connected socket as "a.b.c.d:port" ("" if unknown).
    static func peerAddress(_ fd: Int32) -> String {
        address(of: fd, peer: true)
    }

    /// The local address of a socket as "a.b.c.d:port" ("" if unknown).
    static func localAddress(_ fd: Int32) -> String {
        address(of: fd, peer: false)
    }

    private static func address(of fd: Int32, peer: Bool) -> String {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        guard result == 0 else { return "" }
        let raw = UInt32(bigEndian: address.sin_addr.s_addr)
        let host = "\(raw >> 24).\((raw >> 16) & 0xff).\((raw >> 8) & 0xff).\(raw & 0xff)"
        return "\(host):\(UInt16(bigEndian: address.sin_port))"
    }

    /// Waits until `fd` is readable (or has hung up); `false` on timeout.
    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&entry, 1, milliseconds)
            if result < 0 && errno == EINTR { continue }
            return result > 0
        }
    }

    private static func makeSocket() throws(TestSupportError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        return fd
    }

    private static func bind(_ fd: Int32, host: String, port: Int) throws(TestSupportError) {
        var address = try socketAddress(host: host, port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw .socket(operation: "bind \(host):\(port)", errno: errno) }
    }

    private static func socketAddress(host: String, port: Int) throws(TestSupportError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw .socket(operation: "inet_pton \(host)", errno: EINVAL)
        }
        return address
    }
}
