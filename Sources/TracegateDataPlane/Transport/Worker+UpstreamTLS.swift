// Worker+UpstreamTLS: TLS to upstreams — the handshake, ALPN, and idle pooled TLS connections.
import TracegateTLS

extension Worker {
    /// Drives an HTTP/1.1-path upstream's TLS handshake (clusters `http1` with `tls:` and `auto`).
    /// Done: the exchange's request goes out, or — when ALPN chose h2 on an `auto` cluster — the
    /// connection becomes an HTTP/2 one and the exchange one of its streams.
    func continueUpstreamHandshake(_ ufd: Int32) {
        let u = table[ufd]
        guard let tls = u.pointee.tls else { return }
        let fd = u.pointee.downstreamFD
        switch tls.handshake() {
        case .done:
            guard downstreamIsCurrent(fd, for: u) else { abandonUpstream(ufd); return }
            u.pointee.upstreamPhase = .active
            if tls.negotiatedProtocol == .h2 {
                adoptAsH2(ufd, for: fd)
                return
            }
            arm(ufd, .response, after: attemptTimeout(table[fd]))
            driveDownstream(fd)
        case .wantRead:
            u.pointee.canRead = false
        case .wantWrite:
            u.pointee.canWrite = false
        case .failed:
            counters.add(.upstreamConnectFailures)
            if downstreamIsCurrent(fd, for: u) {
                attemptFailed(fd, .upstreamConnectFailed)
            } else {
                abandonUpstream(ufd)
            }
        }
    }

    /// An idle pooled connection became readable. Plain HTTP/1.1: the server closed it (or sent
    /// bytes unasked). TLS 1.3 also delivers session tickets after the handshake, which OpenSSL
    /// consumes inside a read that then wants more: such a connection is still good.
    func idleConnectionIsAlive(_ u: UnsafeMutablePointer<Connection>) -> Bool {
        guard let tls = u.pointee.tls, !u.pointee.readEOF else { return false }
        var byte: UInt8 = 0
        let result = withUnsafeMutableBytes(of: &byte) { tls.read(into: $0) }
        if case .wantRead = result {
            u.pointee.canRead = false
            return true
        }
        return false
    }
}
