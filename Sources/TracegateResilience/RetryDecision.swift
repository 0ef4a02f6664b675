// RetryDecision.swift — what to do after a failed attempt, and why a retry was given up.

/// What the exchange does after an attempt ended: wait and try again, or answer with what it has.
public enum RetryDecision: Hashable, Sendable {
    /// Start the next attempt after this many nanoseconds (arm the slot's timer; 0 means now).
    /// A retry token has already been withdrawn from the cluster's ``RetryBudget``.
    case retry(after: UInt64)
    /// Do not retry; the response (or the error for a local failure) goes to the client as it is.
    case giveUp(GiveUpReason)
}

/// Why a failed attempt was not retried. Each is counted separately, so an operator can tell a
/// policy that never matches from a budget that is doing its job.
///
/// The reasons are checked in the order they are declared; the first that applies is returned,
/// and the budget, which consumes a token, is asked last.
public enum GiveUpReason: Hashable, Sendable, CaseIterable {
    /// The outcome is not in the route's `retry_on` set or retriable status codes (a 200 is here).
    case notRetriableOutcome
    /// `max_attempts` attempts were made.
    case attemptsExhausted
    /// The request was (possibly) seen by the upstream, and its method is not idempotent and it
    /// carries no `Idempotency-Key`.
    case notIdempotent
    /// Part of the body was already released from the replay buffer (it outgrew the limit).
    case bodyNotReplayable
    /// The server's `Retry-After` asks for longer than the route's cap.
    case retryAfterTooLong
    /// Waiting the backoff (or `Retry-After`) would reach the route's overall timeout.
    case deadlineExceeded
    /// The cluster's retry budget has no token: retries are already at their share of traffic.
    case budgetExhausted

    /// The metric label, e.g. `budget_exhausted` (a literal: no allocation).
    public var label: String {
        switch self {
        case .notRetriableOutcome: "not_retriable_outcome"
        case .attemptsExhausted: "attempts_exhausted"
        case .notIdempotent: "not_idempotent"
        case .bodyNotReplayable: "body_not_replayable"
        case .retryAfterTooLong: "retry_after_too_long"
        case .deadlineExceeded: "deadline_exceeded"
        case .budgetExhausted: "budget_exhausted"
        }
    }
}
