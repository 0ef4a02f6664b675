// RetryPolicy+Decision.swift — retry or give up, after one failed attempt.

extension RetryPolicy {
    /// Decides whether the exchange tries again after an attempt ended with `outcome`.
    ///
    /// The checks run in ``GiveUpReason``'s order and the first that applies wins:
    /// 1. the outcome is retriable (``RetryOn/matches(_:statuses:)``);
    /// 2. fewer than `maxAttempts` attempts were made;
    /// 3. repeating is safe: always after ``AttemptOutcome/connectFailure``, because no request
    ///    byte reached the upstream (Envoy's `connect-failure`, linkerd's connection errors), and
    ///    otherwise only for an idempotent method (RFC 9110 §9.2.2: "a proxy MUST NOT
    ///    automatically retry non-idempotent requests") or with an `Idempotency-Key`;
    /// 4. the body can be sent again whole;
    /// 5. the delay — the server's `Retry-After` when given (up to ``retryAfterCap``), else the
    ///    jittered backoff — fits before the overall ``timeout``;
    /// 6. the cluster's ``RetryBudget`` grants a token.
    ///
    /// The budget is asked last because asking consumes: a retry refused for any other reason
    /// must not spend the cluster's share (Finagle's `RetryFilter` withdraws only for a retry it
    /// is about to make).
    ///
    /// - Parameters:
    ///   - outcome: how the attempt that just ended went.
    ///   - attemptsMade: attempts made so far, the one that just ended included (1 after the first).
    ///   - request: the request's idempotency and body facts.
    ///   - requestStart: when the exchange started (the overall timeout counts from here).
    ///   - now: the current time.
    ///   - retryAfter: the response's `Retry-After` as a delay in nanoseconds, if it had one.
    ///   - budget: the cluster's retry budget on this worker.
    ///   - random: the worker's generator, for the backoff's jitter.
    /// - Returns: ``RetryDecision/retry(after:)`` with the delay, or the reason to give up.
    public func decide(
        after outcome: AttemptOutcome,
        attemptsMade: Int,
        request: RequestFacts,
        requestStart: UInt64,
        now: UInt64,
        retryAfter: UInt64? = nil,
        budget: inout RetryBudget,
        random: inout some RandomNumberGenerator
    ) -> RetryDecision {
        guard retryOn.matches(outcome, statuses: retriableStatusCodes) else {
            return .giveUp(.notRetriableOutcome)
        }
        guard attemptsMade < maxAttempts else {
            return .giveUp(.attemptsExhausted)
        }
        guard outcome == .connectFailure || request.mayRepeat else {
            return .giveUp(.notIdempotent)
        }
        guard request.bodyReplayable else {
            return .giveUp(.bodyNotReplayable)
        }
        let delay: UInt64
        if let retryAfter {
            guard let honoured = Backoff.retryAfterDelay(retryAfter, cap: retryAfterCap) else {
                return .giveUp(.retryAfterTooLong)
            }
            delay = honoured
        } else {
            delay = backoff.delay(forRetry: attemptsMade - 1, using: &random)
        }
        if let timeout {
            let elapsed = now >= requestStart ? now - requestStart : 0
            guard elapsed.addingSaturating(delay) < timeout else {
                return .giveUp(.deadlineExceeded)
            }
        }
        guard budget.tryWithdraw(now: now) else {
            return .giveUp(.budgetExhausted)
        }
        return .retry(after: delay)
    }
}
