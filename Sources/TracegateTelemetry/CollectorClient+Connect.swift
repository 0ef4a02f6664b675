// CollectorClient+Connect.swift — resolving and connecting within the deadline.
import CTracegateShims
import Glibc

extension CollectorClient {
    /// Resolves the host now (a DNS change is picked up on the next reconnect) and tries each
    /// address in turn until one connects, all within `deadline`.
    func connect(deadline: MonotonicTime) throws(TransportError) {
        let host = endpoint.hostName
        let display = endpoint.authority
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        if case .name = endpoint.host {} else { hints.ai_flags |= AI_NUMERICHOST }
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            let message =
                status == EAI_SYSTEM ? String(cString: strerror(tg_errno())) : String(cString: gai_strerror(status))
            throw .resolve(host: host, message: message)
        }
        defer { freeaddrinfo(list) }
        var lastError: TransportError = .connect(address: display, errno: ECONNREFUSED)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            do throws(TransportError) {
                try connect(info.pointee, deadline: deadline, display: display)
                return
            } catch {
                if case .timedOut = error { throw error }
                if case .stopped = error { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    private func connect(_ info: addrinfo, deadline: MonotonicTime, display: String) throws(TransportError) {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let socketFD = socket(info.ai_family, type, 0)
        guard socketFD >= 0 else { throw .connect(address: display, errno: tg_errno()) }
        fd = socketFD
        do throws(TransportError) {
            if Glibc.connect(socketFD, info.ai_addr, info.ai_addrlen) != 0 {
                let code = tg_errno()
                guard code == EINPROGRESS || code == EINTR else { throw .connect(address: display, errno: code) }
                try waitReady(POLLOUT, deadline: deadline, phase: "connecting to \(display)")
                let failure = tg_socket_error(socketFD)
                if failure != 0 { throw .connect(address: display, errno: failure) }
            }
            _ = tg_setsockopt_int(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        } catch {
            disconnect()
            throw error
        }
    }
}
