// Worker+Transport: reads and writes that go through TLS when the connection has it.
import Glibc
import TracegateTLS

extension Worker {
    /// Reads from a connection: through its TLS session when it has one, from the socket otherwise.
    /// The result speaks `SocketOps` terms, so the callers stay the same for both.
    @inline(__always)
    func transportRead(_ c: UnsafeMutablePointer<Connection>, into room: UnsafeMutableRawBufferPointer) -> SocketOps.IOResult {
        guard let tls = c.pointee.tls else { return SocketOps.read(c.pointee.fd, into: room) }
        switch tls.read(into: room) {
        case .bytes(let n): return .bytes(n)
        case .wantRead, .wantWrite: return .wouldBlock
        case .closed: return .eof
        case .failed:
            counters.add(.tlsErrors)
            return .error(EPROTO)
        }
    }

    /// Writes up to two spans to a connection. Over TLS each `SSL_write` takes at most one record
    /// (16 KiB), so it loops until everything is out or OpenSSL wants the socket: a short count then
    /// means "would block", exactly as a short `writev` does, which is what the callers assume
    /// (edge-triggered: they wait for EPOLLOUT after a short write).
    @inline(__always)
    func transportWrite(_ c: UnsafeMutablePointer<Connection>, _ first: UnsafeRawBufferPointer,
                        _ second: UnsafeRawBufferPointer) -> SocketOps.IOResult {
        guard let tls = c.pointee.tls else { return SocketOps.write(c.pointee.fd, first, second) }
        var total = 0
        // The two parts one after the other (no array literal: this is the per-response path).
        for k in 0..<2 {
            let part = k == 0 ? first : second
            var offset = 0
            while offset < part.count {
                switch tls.write(UnsafeRawBufferPointer(rebasing: part[offset...])) {
                case .bytes(let n):
                    offset += n
                    total += n
                case .wantRead, .wantWrite:
                    return total > 0 ? .bytes(total) : .wouldBlock
                case .closed:
                    return total > 0 ? .bytes(total) : .eof
                case .failed:
                    counters.add(.tlsErrors)
                    return total > 0 ? .bytes(total) : .error(EPROTO)
                }
            }
        }
        return .bytes(total)
    }

    /// After a read of `n` bytes into `room` bytes: a short plain read means the socket is drained
    /// (edge-triggered), but a short TLS read does not — OpenSSL returns one record at a time — so
    /// TLS connections keep reading until `wantRead`.
    @inline(__always)
    func noteRead(_ c: UnsafeMutablePointer<Connection>, _ n: Int, of room: Int) {
        if n < room && c.pointee.tls == nil { c.pointee.noteShortRead() }
    }

    /// Sends request bytes to the attempt's upstream: an HTTP/2 stream translates them, a
    /// connection writes them.
    @inline(__always)
    func upstreamWrite(_ u: UnsafeMutablePointer<Connection>, _ first: UnsafeRawBufferPointer,
                       _ second: UnsafeRawBufferPointer) -> SocketOps.IOResult {
        if u.pointee.isStream { return upstreamStreamWrite(u, first, second) }
        return transportWrite(u, first, second)
    }

    /// Whether a cleartext downstream connection may turn out to be HTTP/2 (prior knowledge).
    func acceptsH2c(_ d: UnsafeMutablePointer<Connection>) -> Bool {
        guard d.pointee.tls == nil else { return false }
        let i = d.pointee.listenerIndex
        return i < snapshot.listeners.count && snapshot.listeners[i].http2
    }

    /// Whether the client reached Tracegate over TLS (a stream asks its connection).
    func clientUsesTLS(_ d: UnsafeMutablePointer<Connection>) -> Bool {
        guard d.pointee.isStream else { return d.pointee.tls != nil }
        let p = d.pointee.stream.parentFD
        return p >= 0 && table.contains(p) && table[p].pointee.tls != nil
    }

    /// Drives a downstream TLS handshake; on success the connection speaks what ALPN chose.
    func continueHandshake(_ fd: Int32) {
        let d = table[fd]
        guard let tls = d.pointee.tls else { closeDownstream(fd); return }
        switch tls.handshake() {
        case .done:
            counters.add(.tlsHandshakes)
            if tls.sessionReused { counters.add(.tlsResumptions) }
            d.pointee.phase = .idle
            if tls.negotiatedProtocol == .h2 {
                becomeH2(fd)
            }
        case .wantRead:
            d.pointee.canRead = false
        case .wantWrite:
            d.pointee.canWrite = false
        case .failed:
            counters.add(.tlsHandshakeFailures)
            closeDownstream(fd)
        }
    }

    /// Sends close_notify (best effort) and frees the connection's TLS session.
    func releaseTLS(_ c: UnsafeMutablePointer<Connection>) {
        guard let tls = c.pointee.tls else { return }
        tls.shutdown()
        tls.free()
        c.pointee.tls = nil
    }
}
