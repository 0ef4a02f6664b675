// Worker+Drain: graceful shutdown of one worker.
import Glibc

extension Worker {
    /// Stops accepting, closes idle keep-alive connections, and marks in-flight exchanges to close
    /// after their response. The loop ends when no downstream connection is left or at the deadline.
    func beginDrain(deadline: UInt64) {
        guard !draining else { return }
        draining = true
        drainDeadline = deadline
        for fd in listenerFDs {
            table[fd].pointee.kind = .free
            table[fd].pointee.generation &+= 1
            close(fd)
        }
        listenerFDs.removeAll()
        forEachSlot { fd, c in
            switch c.pointee.kind {
            case .downstream where c.pointee.isStream:
                break  // its connection's GOAWAY covers it
            case .downstream where c.pointee.session != nil:
                let link = c.pointee.link
                link.goingAway = true
                _ = link.session.goAway(code: .noError)
                queueFlush(fd)
            case .downstream:
                if c.pointee.phase == .idle && c.pointee.inBuf.readableBytes == 0 {
                    closeDownstream(fd)
                } else {
                    c.pointee.exchange.closeAfterResponse = true
                }
            case .upstream where c.pointee.upstreamPhase == .idle:
                closeUpstream(fd)
            default:
                break
            }
        }
        checkDrain()
    }

    func checkDrain() {
        if downstreamCount == 0 || now >= drainDeadline { finished = true }
    }

    /// Closes every socket the worker still holds (end of run).
    func shutdownAll() {
        forEachSlot { fd, c in
            switch c.pointee.kind {
            case .downstream where c.pointee.isStream: break  // closed with its connection
            case .downstream: closeDownstream(fd)
            case .upstream: closeUpstream(fd)
            case .listener:
                c.pointee.kind = .free
                close(fd)
            default: break
            }
        }
        close(epfd)
    }

    /// Visits slots that are in use. Only at drain and exit, so a scan of the table is fine.
    func forEachSlot(_ body: (Int32, UnsafeMutablePointer<Connection>) -> Void) {
        var fd: Int32 = 0
        let limit = Int32(table.capacity)
        while fd < limit {
            let c = table[fd]
            if c.pointee.kind != .free && c.pointee.kind != .wakeup { body(fd, c) }
            fd += 1
        }
    }
}
