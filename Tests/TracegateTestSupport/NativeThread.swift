#if canImport(Glibc)
import Glibc
#endif

/// A plain pthread running a closure.
///
/// Why not Swift concurrency: fixtures block in `accept`, `recv` and `waitpid`; doing that on
/// the cooperative pool (2 threads on a 2-core machine) would starve the tests themselves.
/// Why not `Foundation.Thread`: it cannot be joined, and `stop()` must join.
struct NativeThread: Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new joinable thread (call `join()` exactly once).
    static func spawn(_ body: @escaping @Sendable () -> Void) throws(TestSupportError) -> NativeThread {
        NativeThread(handle: try start(body, detached: false))
    }

    /// Starts `body` on a detached thread (it cleans up after itself).
    static func detach(_ body: @escaping @Sendable () -> Void) throws(TestSupportError) {
        _ = try start(body, detached: true)
    }

    /// Waits for the thread to finish.
    func join() {
        pthread_join(handle, nil)
    }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private static func start(_ body: @escaping @Sendable () -> Void, detached: Bool) throws(TestSupportError) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        // 1 MiB is plenty (buffers live on the heap) and keeps thousands of connections cheap.
        pthread_attr_setstacksize(&attributes, 1 << 20)
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, &attributes, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw .socket(operation: "pthread_create", errno: result)
        }
        return handle
    }
}
