// SocketAddress: an IPv4 or IPv6 socket address as a plain value.
import CTracegateShims
import Glibc

/// An IPv4 or IPv6 address and port held in a `sockaddr_storage`, so it can be stored in
/// snapshots and connection slots and passed to bind/connect without allocation.
public struct SocketAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    var storage: sockaddr_storage

    init(storage: sockaddr_storage) { self.storage = storage }

    /// Parses a numeric host ("127.0.0.1", "::1", without brackets) and port; nil if not numeric.
    public init?(numericHost host: String, port: Int) {
        var s = sockaddr_storage()
        var a4 = in_addr()
        var a6 = in6_addr()
        if inet_pton(AF_INET, host, &a4) == 1 {
            withUnsafeMutablePointer(to: &s) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    $0.pointee.sin_family = sa_family_t(AF_INET)
                    $0.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                    $0.pointee.sin_addr = a4
                }
            }
        } else if inet_pton(AF_INET6, host, &a6) == 1 {
            withUnsafeMutablePointer(to: &s) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    $0.pointee.sin6_family = sa_family_t(AF_INET6)
                    $0.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                    $0.pointee.sin6_addr = a6
                }
            }
        } else {
            return nil
        }
        storage = s
    }

    /// The address a socket is bound to (port 0 resolved to the port the kernel chose).
    public static func local(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return rc == 0 ? SocketAddress(storage: storage) : nil
    }

    /// Resolves a host name or literal with getaddrinfo (control side only: it may block).
    public static func resolve(host: String, port: Int) -> [SocketAddress] {
        if host == "localhost", let a = SocketAddress(numericHost: "127.0.0.1", port: port) { return [a] }
        if let a = SocketAddress(numericHost: host, port: port) { return [a] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else { return [] }
        defer { freeaddrinfo(first) }
        var out: [SocketAddress] = []
        var cur: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cur {
            var s = sockaddr_storage()
            withUnsafeMutableBytes(of: &s) { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(start: ai.pointee.ai_addr, count: Int(ai.pointee.ai_addrlen)))
            }
            let addr = SocketAddress(storage: s)
            if !out.contains(addr) { out.append(addr) }
            cur = ai.pointee.ai_next
        }
        return out
    }

    public var family: Int32 { Int32(storage.ss_family) }

    public var port: Int {
        get {
            withUnsafeBytes(of: storage) { raw in
                // sin_port and sin6_port share the same offset (2).
                Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
            }
        }
        set {
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.storeBytes(of: UInt16(newValue).bigEndian, toByteOffset: 2, as: UInt16.self)
            }
        }
    }

    var length: socklen_t {
        family == AF_INET6 ? socklen_t(MemoryLayout<sockaddr_in6>.size) : socklen_t(MemoryLayout<sockaddr_in>.size)
    }

    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var s = storage
        let len = length
        return withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, len) } }
    }

    /// The IPv4 address in host byte order, or nil for IPv6 (for writing logs without Strings).
    public var ipv4: UInt32? {
        guard family == AF_INET else { return nil }
        return withUnsafeBytes(of: storage) { raw in
            UInt32(raw[4]) << 24 | UInt32(raw[5]) << 16 | UInt32(raw[6]) << 8 | UInt32(raw[7])
        }
    }

    /// The host part as text ("127.0.0.1" or "::1").
    public var host: String {
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var s = storage
        let fam = family
        withUnsafePointer(to: &s) { p in
            p.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout<sockaddr_storage>.size) { bytes in
                let off = fam == AF_INET6 ? 8 : 4
                _ = inet_ntop(fam, bytes + off, &buf, socklen_t(buf.count))
            }
        }
        return String(cString: buf)
    }

    public var description: String { family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public static func == (a: SocketAddress, b: SocketAddress) -> Bool {
        a.family == b.family && a.port == b.port && a.host == b.host
    }
    public func hash(into h: inout Hasher) { h.combine(description) }
}
