// ThreadSet: plain pthreads for workers.
import CTracegateShims
import Glibc
import Synchronization

/// Starts and joins named pthreads. Workers are long-lived OS threads with their own event loops,
/// not tasks on a cooperative pool: blocking in epoll_wait is their job.
final class ThreadSet: Sendable {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private let handles = Mutex<[pthread_t]>([])

    func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        tg_set_thread_name(thread, String(name.prefix(15)))
        handles.withLock { $0.append(thread) }
    }

    func joinAll() {
        let all = handles.withLock { h in defer { h.removeAll() }; return h }
        for t in all { pthread_join(t, nil) }
    }
}
