// Worker+Accept: taking new downstream connections off a listening socket.
import CTracegateShims
import Glibc
import TracegateHTTP
import TracegateTLS

extension Worker {
    /// Accepts until the backlog is empty (edge-triggered), at most 128 per wake-up so one busy
    /// listener cannot starve established connections.
    func acceptConnections(listenerFD: Int32) {
        let listenerIndex = table[listenerFD].pointee.listenerIndex
        var accepted = 0
        while accepted < 128 {
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    tg_accept4(listenerFD, $0, &len, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if fd < 0 {
                let e = tg_errno()
                if e == EINTR || e == ECONNABORTED { continue }
                return  // EAGAIN, or EMFILE/ENFILE: the next event retries
            }
            accepted += 1
            guard table.contains(fd) else { close(fd); continue }
            let listeners = snapshot.listeners
            let tlsContext = listenerIndex < listeners.count ? listeners[listenerIndex].tls : nil
            if downstreamCount >= snapshot.maxConnectionsPerWorker || draining {
                if tlsContext != nil {
                    // No TLS session yet: a plain-text 503 would be garbage to the client.
                    counters.add(.connectionsRejected)
                    close(fd)
                } else {
                    rejectConnection(fd)
                }
                continue
            }
            _ = tg_setsockopt_int(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let slot = table[fd]
            slot.pointee.reset(kind: .downstream, fd: fd)
            slot.pointee.listenerIndex = listenerIndex
            slot.pointee.acceptedNanos = now
            slot.pointee.peer = PeerAddress(storage)
            slot.pointee.trusted = listenerIndex < listeners.count && listeners[listenerIndex].trust.trusts(slot.pointee.peer)
            slot.pointee.phase = .idle
            if let tlsContext {
                guard let tls = TLSConnection.accept(fd: fd, context: tlsContext) else {
                    counters.add(.tlsHandshakeFailures)
                    slot.pointee.kind = .free
                    close(fd)
                    continue
                }
                slot.pointee.tls = tls
                slot.pointee.phase = .handshake
            }
            slot.pointee.canWrite = true
            downstreamCount += 1
            counters.add(.connectionsAccepted)
            counters.add(.connectionsActive)
            register(fd)
            arm(fd, .headerRead, after: snapshot.timeouts.headerReadNanos)
        }
    }

    /// Over `limits.max_connections`: answer 503 right away (best effort, one write) and close.
    private func rejectConnection(_ fd: Int32) {
        counters.add(.connectionsRejected)
        var out = IOBuffer(capacity: 512)
        let error = ProxyError(kind: draining ? .draining : .tooManyConnections)
        counters.addError(ErrorResponder.mapping(for: error).code)
        // No request was read, so the correlation id is a fresh one: the 503 can still be found in logs.
        var id = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let trace = random.nextTraceID()
        withUnsafeMutableBytes(of: &id) { raw in
            let n = trace.writeHex(to: raw.baseAddress!)
            snapshot.edge.correlationHeader.withUnsafeBytes { name in
                _ = ErrorResponder.write(error, correlationHeader: name, correlationID: UnsafeRawBufferPointer(rebasing: raw[0..<n]),
                                         headOnly: false, close: true, into: &out)
            }
        }
        _ = SocketOps.write(fd, out.readable, UnsafeRawBufferPointer(start: nil, count: 0))
        out.release()
        close(fd)
    }
}

extension PeerAddress {
    public init(_ storage: sockaddr_storage) {
        self.init()
        var s = storage
        withUnsafeBytes(of: &s) { raw in
            port = UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
            if Int32(storage.ss_family) == AF_INET6 {
                isIPv6 = true
                var hi: UInt64 = 0
                var lo: UInt64 = 0
                for i in 0..<8 { hi = hi << 8 | UInt64(raw[8 + i]) }
                for i in 0..<8 { lo = lo << 8 | UInt64(raw[16 + i]) }
                v6 = (hi, lo)
            } else {
                v4 = UInt32(raw[4]) << 24 | UInt32(raw[5]) << 16 | UInt32(raw[6]) << 8 | UInt32(raw[7])
            }
        }
    }

    /// Writes the address as text ("203.0.113.7" or "2001:db8::1") for X-Forwarded-For, without a String.
    public func write(into out: inout IOBuffer) {
        if !isIPv6 {
            out.appendDecimal(Int(v4 >> 24)); out.append(byte: 0x2E)
            out.appendDecimal(Int((v4 >> 16) & 0xFF)); out.append(byte: 0x2E)
            out.appendDecimal(Int((v4 >> 8) & 0xFF)); out.append(byte: 0x2E)
            out.appendDecimal(Int(v4 & 0xFF))
            return
        }
        var bytes: (UInt64, UInt64) = (v6.0.bigEndian, v6.1.bigEndian)
        var text = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))  // 64 bytes
        withUnsafeMutableBytes(of: &text) { dst in
            withUnsafeBytes(of: &bytes) { src in
                _ = inet_ntop(AF_INET6, src.baseAddress, dst.baseAddress!.assumingMemoryBound(to: CChar.self), 64)
            }
            let length = strlen(dst.baseAddress!.assumingMemoryBound(to: CChar.self))
            out.append(UnsafeRawBufferPointer(start: dst.baseAddress, count: length))
        }
    }
}
