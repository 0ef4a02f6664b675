// CircuitBreaker+Events.swift — the breaker's states, permits, admissions and transitions.

extension CircuitBreaker {
    /// Where the breaker is. Named by what happens to calls, as in resilience4j and Hystrix —
    /// `closed` admits, `open` rejects — not by the linkerd inversion where "open" means
    /// "accepting".
    public enum State: Hashable, Sendable {
        /// Calls are admitted and their outcomes fill the window.
        case closed
        /// Calls are rejected until the open period ends.
        case open
        /// A limited number of probe calls are admitted; their outcomes decide between closed
        /// and open.
        case halfOpen

        /// The label for `/debug/state` and the state gauge (`closed`, `open`, `half_open`).
        public var label: String {
            switch self {
            case .closed: "closed"
            case .open: "open"
            case .halfOpen: "half_open"
            }
        }
    }

    /// Proof that a call was admitted, handed back with its outcome.
    ///
    /// Why a permit: between admission and outcome the breaker may change state — a call admitted
    /// while closed can finish after the breaker opened and went half-open, and must not be taken
    /// for one of the probes. The permit carries the breaker's epoch (bumped on every transition)
    /// and whether the call is a probe; an outcome from an older epoch is ignored. resilience4j
    /// solves the same race by recording such calls without transitions; ignoring them is simpler
    /// and, since every transition resets the window, loses nothing.
    public struct Permit: Hashable, Sendable {
        let epoch: UInt32
        /// `true` when the call was admitted as a half-open probe.
        public let isProbe: Bool
    }

    /// The answer to ``CircuitBreaker/admit(now:)``.
    public enum Admission: Hashable, Sendable {
        /// Send the call; give `permit` back to ``CircuitBreaker/record(_:outcome:duration:now:)``
        /// or ``CircuitBreaker/release(_:)``. `transition` is set when this admission ended the
        /// open period (open → half-open), so the caller logs it like any other.
        case admitted(Permit, transition: Transition?)
        /// Do not send: answer 503 (the endpoint is open, or all probes are out).
        case rejected
    }

    /// A change of state, returned so the caller can log and count it.
    public struct Transition: Hashable, Sendable {
        /// The state before.
        public let from: State
        /// The state after.
        public let to: State
        /// What caused it.
        public let reason: Reason

        /// Why a breaker changed state.
        public enum Reason: Hashable, Sendable {
            /// The window's failure rate reached the threshold (closed → open).
            case failureRate
            /// The window's slow-call rate reached the threshold (closed → open).
            case slowCallRate
            /// The open period ended (open → half-open).
            case openDurationElapsed
            /// A probe failed or was slow (half-open → open).
            case probeFailed
            /// Every probe succeeded (half-open → closed).
            case probesSucceeded

            /// The label for logs and metrics, e.g. `failure_rate`.
            public var label: String {
                switch self {
                case .failureRate: "failure_rate"
                case .slowCallRate: "slow_call_rate"
                case .openDurationElapsed: "open_duration_elapsed"
                case .probeFailed: "probe_failed"
                case .probesSucceeded: "probes_succeeded"
                }
            }
        }
    }

    /// The breaker's numbers for `/debug/state`.
    public struct Snapshot: Hashable, Sendable {
        /// The current state.
        public let state: State
        /// Calls in the window (closed state).
        public let calls: Int
        /// Failed calls in the window.
        public let failures: Int
        /// Slow calls in the window.
        public let slowCalls: Int
        /// Probes admitted (half-open state).
        public let probesAdmitted: Int
        /// Probes that succeeded (half-open state).
        public let probesSucceeded: Int
        /// When an open breaker starts probing; `nil` unless open.
        public let openUntil: UInt64?
    }
}
