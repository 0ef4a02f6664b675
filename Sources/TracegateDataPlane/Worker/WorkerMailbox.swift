// WorkerMailbox: how the control side talks to a worker without touching its state.
import CTracegateShims
import Glibc
import Synchronization

/// Commands for one worker, posted by the control side and picked up when the worker's eventfd
/// wakes it. The lock is taken only then — never per request.
public final class WorkerMailbox: Sendable {
    public enum Command: Sendable {
        /// A reloaded configuration to serve new requests with.
        case apply(RuntimeSnapshot)
        /// Stop accepting, finish in-flight requests, exit by the deadline.
        case drain(deadlineNanos: UInt64)
        /// Exit at once.
        case stop
    }

    let eventFD: Int32
    private let pending = Mutex<[Command]>([])

    public init() {
        eventFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
    }

    public func post(_ command: Command) {
        pending.withLock { $0.append(command) }
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(eventFD, $0.baseAddress, 8) }
    }

    func take() -> [Command] {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { read(eventFD, $0.baseAddress, 8) }
        return pending.withLock { commands in
            defer { commands.removeAll() }
            return commands
        }
    }
}
