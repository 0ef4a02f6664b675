// Worker+Tunnel: raw byte relay after a 101 Switching Protocols (WebSocket and other upgrades).
import Glibc

extension Worker {
    /// Relays bytes both ways with the same back-pressure rule as the pump; either side closing
    /// ends the tunnel after what is buffered for the other side has been written.
    func pumpTunnel(_ fd: Int32) {
        let d = table[fd]
        guard let u = attachedUpstream(d) else { closeDownstream(fd); return }
        var progress = true
        while progress {
            progress = false
            if flushOwn(fd) { progress = true }
            guard d.pointee.kind == .downstream else { return }
            if relay(from: d, to: u) { progress = true }
            if relay(from: u, to: d) { progress = true }
            // Any byte either way restarts the idle clock (timeouts.tunnel_idle).
            if progress && d.pointee.kind == .downstream { arm(fd, .tunnelIdle, after: snapshot.timeouts.tunnelIdleNanos) }
            if d.pointee.kind != .downstream { return }
            let clientDone = d.pointee.readEOF && d.pointee.inBuf.readableBytes == 0
            let upstreamDone = u.pointee.readEOF && u.pointee.inBuf.readableBytes == 0
            if (clientDone || upstreamDone) && d.pointee.outBuf.readableBytes == 0 {
                abortDownstream(fd)
                return
            }
        }
    }

    /// Writes the queued 101 head (and anything else Tracegate queued) first.
    private func flushOwn(_ fd: Int32) -> Bool {
        let d = table[fd]
        guard d.pointee.outBuf.readableBytes > 0, d.pointee.canWrite else { return false }
        switch transportWrite(d, d.pointee.outBuf.readable, UnsafeRawBufferPointer(start: nil, count: 0)) {
        case .bytes(let n):
            d.pointee.outBuf.moveReaderIndex(by: n)
            if d.pointee.outBuf.readableBytes > 0 { d.pointee.canWrite = false }
            return n > 0
        case .wouldBlock:
            d.pointee.canWrite = false
        case .eof, .error:
            abortDownstream(fd)
        }
        return false
    }

    /// Reads from `src` into its buffer and writes that buffer to `dst`. True when bytes moved.
    private func relay(from src: UnsafeMutablePointer<Connection>, to dst: UnsafeMutablePointer<Connection>) -> Bool {
        var moved = false
        if src.pointee.canRead && !src.pointee.readEOF && src.pointee.inBuf.readableBytes < Worker.streamWindow {
            src.pointee.inBuf.reserve(minimumWritable: Worker.readChunk)
            let room = src.pointee.inBuf.writable
            switch transportRead(src, into: room) {
            case .bytes(let n):
                src.pointee.inBuf.moveWriterIndex(by: n)
                noteRead(src, n, of: room.count)
                moved = true
            case .wouldBlock:
                src.pointee.canRead = false
            case .eof, .error:
                src.pointee.readEOF = true
                moved = true
            }
        }
        // The client's queued head must go first: body bytes to the client wait for outBuf to drain.
        let blocked = dst.pointee.kind == .downstream && dst.pointee.outBuf.readableBytes > 0
        if !blocked && dst.pointee.canWrite && src.pointee.inBuf.readableBytes > 0 {
            switch transportWrite(dst, src.pointee.inBuf.readable, UnsafeRawBufferPointer(start: nil, count: 0)) {
            case .bytes(let n):
                src.pointee.inBuf.moveReaderIndex(by: n)
                if src.pointee.inBuf.readableBytes > 0 { dst.pointee.canWrite = false }
                moved = moved || n > 0
            case .wouldBlock:
                dst.pointee.canWrite = false
            case .eof, .error:
                dst.pointee.readEOF = true
                moved = true
            }
        }
        return moved
    }
}
