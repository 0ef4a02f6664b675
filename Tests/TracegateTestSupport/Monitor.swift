#if canImport(Glibc)
import Glibc
#endif

/// A mutex-protected value with a condition variable: the one synchronisation primitive
/// of this library.
///
/// Why not `sleep` + poll: the project's tests never sleep to wait for readiness; a waiter
/// blocks on the condition and is woken by the `broadcast` that accompanies every state
/// change. The condition uses `CLOCK_MONOTONIC`, so timeouts do not jump with wall-clock
/// changes. A class because the pthread objects need a stable address.
final class Monitor<State>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var state: State

    init(_ initial: State) {
        state = initial
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Reads or mutates the state under the lock, then wakes every waiter.
    @discardableResult
    func update<R>(_ body: (inout State) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return body(&state)
    }

    /// Reads the state under the lock without waking anyone.
    func read<R>(_ body: (State) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(state)
    }

    /// Blocks until `ready` returns a value or `timeout` elapses (`nil` waits forever).
    /// - Returns: the value `ready` produced, or `nil` on timeout.
    func wait<R>(timeout: Duration?, until ready: (State) -> R?) -> R? {
        let deadline = timeout.map { MonotonicDeadline(after: $0) }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let value = ready(state) { return value }
            if let deadline {
                var absolute = deadline.absoluteTime
                if pthread_cond_timedwait(condition, mutex, &absolute) == ETIMEDOUT {
                    return ready(state)
                }
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
    }
}

/// An absolute point on `CLOCK_MONOTONIC`, for `pthread_cond_timedwait` and `poll` budgets.
struct MonotonicDeadline: Sendable {
    let nanoseconds: Int64

    init(after duration: Duration) {
        let parts = duration.components
        let delta = parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
        nanoseconds = Self.now() + max(0, delta)
    }

    static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    var absoluteTime: timespec {
        timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }

    /// Milliseconds left, rounded up, for `poll`; 0 once expired.
    var remainingMilliseconds: Int32 {
        let left = nanoseconds - Self.now()
        if left <= 0 { return 0 }
        return Int32(clamping: (left + 999_999) / 1_000_000)
    }

    var hasExpired: Bool { Self.now() >= nanoseconds }
}
