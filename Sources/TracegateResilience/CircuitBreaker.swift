// CircuitBreaker.swift — a per-endpoint failure-rate breaker over the last N calls.

/// A failure-rate circuit breaker for one endpoint: closed, open, half-open, over a count-based
/// window of the last N calls (resilience4j's `CircuitBreaker` with `COUNT_BASED` windows).
///
/// - **closed** admits every call and records its outcome. Once the window holds at least
///   `minimumCalls`, the breaker opens when the failure rate (``AttemptOutcome/isFailure``) or the
///   slow-call rate (duration ≥ `slowCallDuration`) reaches its threshold.
/// - **open** rejects every call for `openDuration` — the endpoint gets time to recover instead of
///   more load — then the next ``admit(now:)`` (or ``tick(now:)``) moves it to half-open.
/// - **half-open** admits at most `probeRequests` calls at once. When all of them succeed the
///   breaker closes with an empty window; the first that fails or is slow reopens it for another
///   `openDuration`. This is stricter than resilience4j, which compares the probes' rates with the
///   thresholds: a single bad probe is evidence enough that the endpoint has not recovered, and
///   it keeps the states easy to reason about from a log.
///
/// Every method returns what changed (``Transition``) so the caller can log and count it; the
/// breaker itself does no I/O and reads no clock. Owned by one worker; mutate it in place
/// (`breakers[i].record(…)`) so its window is never copied.
public struct CircuitBreaker {
    /// The breaker's settings.
    public let configuration: Configuration
    /// The current state (an open breaker whose period has ended stays `open` until the next
    /// ``admit(now:)`` or ``tick(now:)``).
    public private(set) var state: State = .closed
    private var window: OutcomeWindow
    private var epoch: UInt32 = 0
    private var openUntil: UInt64 = 0
    private var probesAdmitted = 0
    private var probesSucceeded = 0

    /// Creates a closed breaker with an empty window.
    public init(configuration: Configuration = .default) {
        self.configuration = configuration
        self.window = OutcomeWindow(capacity: configuration.windowSize)
    }

    /// Asks whether a call may go to the endpoint now.
    ///
    /// - Returns: ``Admission/admitted(_:transition:)`` with the permit to hand back, or
    ///   ``Admission/rejected``.
    public mutating func admit(now: UInt64) -> Admission {
        switch state {
        case .closed:
            return .admitted(Permit(epoch: epoch, isProbe: false), transition: nil)
        case .open:
            guard let transition = tick(now: now) else { return .rejected }
            probesAdmitted = 1
            return .admitted(Permit(epoch: epoch, isProbe: true), transition: transition)
        case .halfOpen:
            guard probesAdmitted < configuration.probeRequests else { return .rejected }
            probesAdmitted += 1
            return .admitted(Permit(epoch: epoch, isProbe: true), transition: nil)
        }
    }

    /// Whether ``admit(now:)`` would admit a call now, without taking a permit: closed, open past
    /// its period (the next call is the first probe), or half-open with probes left. The data
    /// plane asks before it spends a retry on a cluster whose every breaker refuses.
    public func wouldAdmit(now: UInt64) -> Bool {
        switch state {
        case .closed: true
        case .open: now >= openUntil
        case .halfOpen: probesAdmitted < configuration.probeRequests
        }
    }

    /// Records how an admitted call went.
    ///
    /// - Parameters:
    ///   - permit: the permit from ``admit(now:)``; outcomes of permits issued before the last
    ///     transition are ignored.
    ///   - outcome: the attempt's outcome.
    ///   - duration: how long the call took, in nanoseconds.
    ///   - now: the current time (starts the open period if this call opens the breaker).
    /// - Returns: the transition this outcome caused, if any.
    public mutating func record(
        _ permit: Permit,
        outcome: AttemptOutcome,
        duration: UInt64,
        now: UInt64
    ) -> Transition? {
        guard permit.epoch == epoch else { return nil }
        let failed = outcome.isFailure
        let slow = duration >= configuration.slowCallDuration
        switch state {
        case .closed:
            window.record(failed: failed, slow: slow)
            guard window.count >= configuration.minimumCalls else { return nil }
            if window.rate(window.failures, reaches: configuration.failureRatePPM) {
                return open(now: now, reason: .failureRate)
            }
            if window.rate(window.slowCalls, reaches: configuration.slowCallRatePPM) {
                return open(now: now, reason: .slowCallRate)
            }
            return nil
        case .halfOpen:
            if failed || slow {
                return open(now: now, reason: .probeFailed)
            }
            probesSucceeded += 1
            guard probesSucceeded >= configuration.probeRequests else { return nil }
            return move(to: .closed, reason: .probesSucceeded)
        case .open:
            return nil
        }
    }

    /// Hands back a permit whose call was never made (the client went away, or another limit
    /// refused it), so a half-open breaker can admit another probe in its place.
    public mutating func release(_ permit: Permit) {
        guard permit.epoch == epoch, permit.isProbe, state == .halfOpen, probesAdmitted > 0 else { return }
        probesAdmitted -= 1
    }

    /// Moves an open breaker whose period has ended to half-open, so the state gauge and
    /// `/debug/state` do not show `open` for an endpoint that would be probed.
    ///
    /// - Returns: the open → half-open transition, if it happened now.
    @discardableResult
    public mutating func tick(now: UInt64) -> Transition? {
        guard state == .open, now >= openUntil else { return nil }
        return move(to: .halfOpen, reason: .openDurationElapsed)
    }

    /// The breaker's numbers for `/debug/state`.
    public var snapshot: Snapshot {
        Snapshot(
            state: state,
            calls: window.count,
            failures: window.failures,
            slowCalls: window.slowCalls,
            probesAdmitted: probesAdmitted,
            probesSucceeded: probesSucceeded,
            openUntil: state == .open ? openUntil : nil
        )
    }

    private mutating func open(now: UInt64, reason: Transition.Reason) -> Transition {
        openUntil = now.addingSaturating(configuration.openDuration)
        return move(to: .open, reason: reason)
    }

    /// Every transition starts a new epoch with an empty window and no probes.
    private mutating func move(to newState: State, reason: Transition.Reason) -> Transition {
        let transition = Transition(from: state, to: newState, reason: reason)
        state = newState
        epoch &+= 1
        window.reset()
        probesAdmitted = 0
        probesSucceeded = 0
        return transition
    }
}

@available(*, unavailable, message: "worker-owned state: create one per worker from its Configuration")
extension CircuitBreaker: Sendable {}
