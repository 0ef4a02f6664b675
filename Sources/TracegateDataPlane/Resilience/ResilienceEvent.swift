// ResilienceEvent: breaker transitions and ejections, handed to the control side to log.
import Synchronization
import TracegateResilience

/// A state change of a resilience policy that an operator wants in the log: a breaker opening,
/// probing or closing, an endpoint ejected (or an ejection the percentage cap refused), or an
/// endpoint returning to selection.
public struct ResilienceEvent: Sendable {
    public enum Kind: Sendable {
        case breaker(CircuitBreaker.Transition)
        case ejected(reason: EjectionReason, forNanos: UInt64, timesEjected: Int)
        case ejectionSuppressed(reason: EjectionReason)
        case returned
    }

    public var worker: Int
    public var cluster: String
    public var endpoint: SocketAddress
    public var kind: Kind
}

/// The worker-to-control queue of `ResilienceEvent`s.
///
/// Why a lock is fine here: events are state changes (a breaker opens once per open period, an
/// ejection once per ejection time), never per request, and the control side empties the queue
/// every few milliseconds. The queue is bounded so a flapping endpoint cannot grow it without
/// limit; what does not fit is counted in `dropped`.
public final class ResilienceEvents: Sendable {
    private struct State {
        var events: [ResilienceEvent] = []
        var dropped: UInt64 = 0
    }

    public static let capacity = 1024
    private let state = Mutex(State())

    public init() {}

    func post(_ event: ResilienceEvent) {
        state.withLock { s in
            if s.events.count < Self.capacity { s.events.append(event) } else { s.dropped &+= 1 }
        }
    }

    /// Takes every queued event (oldest first) and the count of those that did not fit.
    public func take() -> (events: [ResilienceEvent], dropped: UInt64) {
        state.withLock { s in
            defer { s.events.removeAll(keepingCapacity: true); s.dropped = 0 }
            return (s.events, s.dropped)
        }
    }
}
