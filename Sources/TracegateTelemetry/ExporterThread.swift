// ExporterThread.swift — the exporter's own OS thread.
import CTracegateShims
import Glibc

/// A joinable, named pthread for the exporter loop.
///
/// Not Swift concurrency: the loop blocks in `poll` and `getaddrinfo`, which must never happen on
/// the cooperative pool. Joinable so that `shutdown` returns only once the thread is gone.
enum ExporterThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func start(name: String, _ body: @escaping @Sendable () -> Void) throws(OTLPExporterError) -> pthread_t {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 1 << 20)
        var thread = pthread_t()
        let result = pthread_create(
            &thread,
            &attributes,
            { argument in
                // Signals belong to the control side's handlers, not to a thread blocked in poll.
                tg_block_signals()
                Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
                return nil
            },
            box
        )
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw .threadStartFailed(errno: result)
        }
        tg_set_thread_name(thread, String(name.prefix(15)))
        return thread
    }
}
