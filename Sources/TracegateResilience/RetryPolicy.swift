// RetryPolicy.swift — a route's retry settings, validated once.

/// A route's retry settings: how many attempts, on which outcomes, how long to wait between them
/// and for how long overall. Immutable and `Sendable`: it travels in the config snapshot, and
/// ``decide(after:attemptsMade:request:requestStart:now:retryAfter:budget:random:)`` is a pure
/// function of it plus the cluster's ``RetryBudget``.
///
/// Times are nanoseconds of the worker's monotonic clock.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in all, the first included (gRPC's `maxAttempts`; Envoy's `num_retries` + 1).
    /// 1 disables retries.
    public let maxAttempts: Int
    /// The outcomes that may be retried.
    public let retryOn: RetryOn
    /// Further response statuses that may be retried, e.g. 429 or 409.
    public let retriableStatusCodes: StatusCodeSet
    /// The time one attempt may wait for its response head; `nil` for no per-try limit.
    public let perTryTimeout: UInt64?
    /// The time the whole exchange may take, retries and backoff included; `nil` for none.
    public let timeout: UInt64?
    /// The delay between attempts.
    public let backoff: Backoff
    /// The longest `Retry-After` honoured; a longer one gives the retry up.
    public let retryAfterCap: UInt64

    /// How much of a request body the data plane keeps for a replay (and for a mirror): 64 KiB,
    /// the limit DESIGN.md gives for retry and mirror buffering.
    public static let defaultReplayBufferLimit = 65_536

    /// Two attempts on ``RetryOn/default``, Envoy's backoff, no timeouts, `Retry-After` up to 1 s.
    public static let `default` = RetryPolicy(
        unchecked: 2,
        retryOn: .default,
        retriableStatusCodes: StatusCodeSet(),
        perTryTimeout: nil,
        timeout: nil,
        backoff: .default,
        retryAfterCap: nanosPerSecond
    )

    /// What a route without a `retry:` block does: one more attempt after a connect failure only
    /// (nginx's `proxy_next_upstream error`, HAProxy's `retries`). No request byte reached the
    /// upstream, so it is safe for every method; the cluster's budget still applies.
    public static let connectFailureOnly = RetryPolicy(
        unchecked: 2,
        retryOn: .connectFailure,
        retriableStatusCodes: StatusCodeSet(),
        perTryTimeout: nil,
        timeout: nil,
        backoff: .default,
        retryAfterCap: nanosPerSecond
    )

    /// Creates a policy after checking every value.
    ///
    /// - Throws: ``ResilienceConfigError`` naming `max_attempts` (1...100), `per_try_timeout` or
    ///   `timeout` (1 ms ... 1 h) or `retry_after_cap` (0 ... 1 h).
    public init(
        maxAttempts: Int = 2,
        retryOn: RetryOn = .default,
        retriableStatusCodes: StatusCodeSet = StatusCodeSet(),
        perTryTimeout: UInt64? = nil,
        timeout: UInt64? = nil,
        backoff: Backoff = .default,
        retryAfterCap: UInt64 = 1_000_000_000
    ) throws(ResilienceConfigError) {
        let hour = 3_600 * nanosPerSecond
        try ResilienceConfigError.check(maxAttempts, in: 1...100, key: "max_attempts")
        if let perTryTimeout {
            try ResilienceConfigError.check(perTryTimeout, in: 1_000_000...hour, key: "per_try_timeout")
        }
        if let timeout {
            try ResilienceConfigError.check(timeout, in: 1_000_000...hour, key: "timeout")
        }
        try ResilienceConfigError.check(retryAfterCap, in: 0...hour, key: "retry_after_cap")
        self.init(
            unchecked: maxAttempts,
            retryOn: retryOn,
            retriableStatusCodes: retriableStatusCodes,
            perTryTimeout: perTryTimeout,
            timeout: timeout,
            backoff: backoff,
            retryAfterCap: retryAfterCap
        )
    }

    private init(
        unchecked maxAttempts: Int,
        retryOn: RetryOn,
        retriableStatusCodes: StatusCodeSet,
        perTryTimeout: UInt64?,
        timeout: UInt64?,
        backoff: Backoff,
        retryAfterCap: UInt64
    ) {
        self.maxAttempts = maxAttempts
        self.retryOn = retryOn
        self.retriableStatusCodes = retriableStatusCodes
        self.perTryTimeout = perTryTimeout
        self.timeout = timeout
        self.backoff = backoff
        self.retryAfterCap = retryAfterCap
    }

    /// When the attempt started at `attemptStart` must have its response head: the earlier of its
    /// per-try timeout and the exchange's overall timeout, or `nil` when neither is set.
    ///
    /// The worker arms the slot's timer with this; when it fires first, the attempt's outcome is
    /// ``AttemptOutcome/timeout`` if the per-try limit fired, and the exchange simply ends (no
    /// decision to ask for) if the overall one did.
    public func attemptDeadline(requestStart: UInt64, attemptStart: UInt64) -> UInt64? {
        let perTry = perTryTimeout.map { attemptStart.addingSaturating($0) }
        let overall = timeout.map { requestStart.addingSaturating($0) }
        switch (perTry, overall) {
        case (let a?, let b?): return Swift.min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }
}

extension UInt64 {
    /// `self + other`, or `UInt64.max` instead of trapping on overflow.
    func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
