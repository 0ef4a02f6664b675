// WakeSignal.swift — an eventfd that interrupts the exporter thread's waits.
import CTracegateShims
import Glibc

/// Wakes the exporter thread out of `poll`: when a full batch is queued, and when shutdown is asked
/// for. An eventfd rather than a condition variable because the thread spends its waits in `poll`
/// on the collector socket too, and shutdown must be able to cut those short.
///
/// The signal is only a hint: after every wake-up the thread re-reads the queue and the shutdown
/// state, so a coalesced or consumed signal loses nothing.
final class WakeSignal: Sendable {
    let fd: Int32

    init() throws(OTLPExporterError) {
        fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw .threadStartFailed(errno: tg_errno()) }
    }

    deinit {
        close(fd)
    }

    func signal() {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Clears pending signals.
    func drain() {
        var value: UInt64 = 0
        _ = read(fd, &value, 8)
    }

    /// Blocks until signalled or `deadline` passes; clears the signal.
    func wait(until deadline: MonotonicTime) {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&descriptor, 1, deadline.remainingMilliseconds)
            if result < 0 && tg_errno() == EINTR { continue }
            break
        }
        drain()
    }
}
