// RetryPolicyTests.swift — every retry decision and every reason to give up.

import Testing
import TracegateResilience

@Suite struct RetryPolicyTests {
    let start: UInt64 = 5_000 * sec
    let get = RequestFacts(idempotentMethod: true)
    let post = RequestFacts(idempotentMethod: false)

    /// A budget that always has a token (10 000 in reserve).
    func plentifulBudget() throws -> RetryBudget {
        try RetryBudget(configuration: .init(ttl: 10 * sec, minRetriesPerSecond: 1_000, retryRatio: 0), now: start)
    }

    /// A budget that never has one.
    func emptyBudget() throws -> RetryBudget {
        try RetryBudget(configuration: .init(ttl: 10 * sec, minRetriesPerSecond: 0, retryRatio: 0), now: start)
    }

    func decide(
        _ policy: RetryPolicy,
        _ outcome: AttemptOutcome,
        attemptsMade: Int = 1,
        request: RequestFacts? = nil,
        elapsed: UInt64 = 0,
        retryAfter: UInt64? = nil,
        budget: inout RetryBudget
    ) -> RetryDecision {
        var random = SeededRandom(seed: 3)
        return policy.decide(
            after: outcome,
            attemptsMade: attemptsMade,
            request: request ?? get,
            requestStart: start,
            now: start + elapsed,
            retryAfter: retryAfter,
            budget: &budget,
            random: &random
        )
    }

    func isRetry(_ decision: RetryDecision) -> Bool {
        if case .retry = decision { return true }
        return false
    }

    @Test(arguments: [AttemptOutcome.connectFailure, .reset, .response(status: 502), .response(status: 503)])
    func defaultPolicyRetriesSafeFailures(outcome: AttemptOutcome) throws {
        var budget = try plentifulBudget()
        #expect(isRetry(decide(.default, outcome, budget: &budget)))
    }

    @Test(arguments: [
        AttemptOutcome.timeout, .response(status: 200), .response(status: 404), .response(status: 429),
        .response(status: 500), .response(status: 504),
    ])
    func defaultPolicyDoesNotRetryOtherOutcomes(outcome: AttemptOutcome) throws {
        var budget = try plentifulBudget()
        #expect(decide(.default, outcome, budget: &budget) == .giveUp(.notRetriableOutcome))
    }

    @Test func retryOnAndRetriableStatusCodesWidenWhatIsRetried() throws {
        let policy = try RetryPolicy(
            maxAttempts: 3,
            retryOn: [.perTryTimeout, .status504],
            retriableStatusCodes: StatusCodeSet([429, 409])
        )
        var budget = try plentifulBudget()
        #expect(isRetry(decide(policy, .timeout, budget: &budget)))
        #expect(isRetry(decide(policy, .response(status: 504), budget: &budget)))
        #expect(isRetry(decide(policy, .response(status: 429), budget: &budget)))
        #expect(isRetry(decide(policy, .response(status: 409), budget: &budget)))
        #expect(decide(policy, .response(status: 503), budget: &budget) == .giveUp(.notRetriableOutcome))
        #expect(decide(policy, .connectFailure, budget: &budget) == .giveUp(.notRetriableOutcome))
        #expect(decide(policy, .reset, budget: &budget) == .giveUp(.notRetriableOutcome))
    }

    @Test func attemptsAreCountedWithTheFirstIncluded() throws {
        let policy = try RetryPolicy(maxAttempts: 3)
        var budget = try plentifulBudget()
        #expect(isRetry(decide(policy, .reset, attemptsMade: 1, budget: &budget)))
        #expect(isRetry(decide(policy, .reset, attemptsMade: 2, budget: &budget)))
        #expect(decide(policy, .reset, attemptsMade: 3, budget: &budget) == .giveUp(.attemptsExhausted))
        let once = try RetryPolicy(maxAttempts: 1)
        #expect(decide(once, .reset, attemptsMade: 1, budget: &budget) == .giveUp(.attemptsExhausted))
    }

    @Test func nonIdempotentRequestsAreRetriedOnlyWhenNothingWasSentOrWithAKey() throws {
        var budget = try plentifulBudget()
        #expect(decide(.default, .response(status: 503), request: post, budget: &budget) == .giveUp(.notIdempotent))
        #expect(decide(.default, .reset, request: post, budget: &budget) == .giveUp(.notIdempotent))
        // A connect failure means no byte reached the upstream: safe for POST too.
        #expect(isRetry(decide(.default, .connectFailure, request: post, budget: &budget)))
        let keyed = RequestFacts(idempotentMethod: false, hasIdempotencyKey: true)
        #expect(isRetry(decide(.default, .reset, request: keyed, budget: &budget)))
    }

    @Test func aBodyThatOutgrewTheReplayBufferIsNotRetried() throws {
        var budget = try plentifulBudget()
        let overflowed = RequestFacts(idempotentMethod: true, bodyReplayable: false)
        #expect(decide(.default, .reset, request: overflowed, budget: &budget) == .giveUp(.bodyNotReplayable))
        #expect(decide(.default, .connectFailure, request: overflowed, budget: &budget) == .giveUp(.bodyNotReplayable))
        #expect(RetryPolicy.defaultReplayBufferLimit == 64 * 1_024)
    }

    @Test func retryAfterReplacesTheBackoffUpToTheCap() throws {
        let policy = try RetryPolicy(retryAfterCap: 2 * sec)
        var budget = try plentifulBudget()
        let status = AttemptOutcome.response(status: 503)
        #expect(decide(policy, status, retryAfter: 1_500 * ms, budget: &budget) == .retry(after: 1_500 * ms))
        #expect(decide(policy, status, retryAfter: 0, budget: &budget) == .retry(after: 0))
        #expect(decide(policy, status, retryAfter: 2 * sec + 1, budget: &budget) == .giveUp(.retryAfterTooLong))
    }

    @Test func theDelayMustFitBeforeTheOverallTimeout() throws {
        let policy = try RetryPolicy(timeout: 100 * ms)
        var budget = try plentifulBudget()
        let status = AttemptOutcome.response(status: 503)
        #expect(decide(policy, status, elapsed: 90 * ms, retryAfter: 5 * ms, budget: &budget) == .retry(after: 5 * ms))
        #expect(
            decide(policy, status, elapsed: 90 * ms, retryAfter: 10 * ms, budget: &budget) == .giveUp(.deadlineExceeded)
        )
        #expect(decide(policy, .reset, elapsed: 100 * ms, budget: &budget) == .giveUp(.deadlineExceeded))
        #expect(decide(policy, .reset, elapsed: 200 * ms, budget: &budget) == .giveUp(.deadlineExceeded))
    }

    @Test func anEmptyBudgetRefusesTheRetry() throws {
        var budget = try emptyBudget()
        #expect(decide(.default, .reset, budget: &budget) == .giveUp(.budgetExhausted))
    }

    @Test func theBudgetIsSpentOnlyOnRetriesThatHappen() throws {
        // One token in reserve (1 retry/s over a 1 s window).
        var budget = try RetryBudget(configuration: .init(ttl: sec, minRetriesPerSecond: 1, retryRatio: 0), now: start)
        #expect(decide(.default, .response(status: 200), budget: &budget) == .giveUp(.notRetriableOutcome))
        #expect(decide(.default, .reset, request: post, budget: &budget) == .giveUp(.notIdempotent))
        #expect(decide(.default, .reset, attemptsMade: 2, budget: &budget) == .giveUp(.attemptsExhausted))
        #expect(budget.balance(now: start) == 1)
        #expect(isRetry(decide(.default, .reset, budget: &budget)))
        #expect(budget.balance(now: start) == 0)
        #expect(decide(.default, .reset, budget: &budget) == .giveUp(.budgetExhausted))
    }

    @Test func reasonsAreCheckedInTheirDeclaredOrder() throws {
        var empty = try emptyBudget()
        let worst = RequestFacts(idempotentMethod: false, bodyReplayable: false)
        let policy = try RetryPolicy(maxAttempts: 2, timeout: 10 * ms, retryAfterCap: 0)
        let status = AttemptOutcome.response(status: 503)
        #expect(
            decide(policy, .response(status: 200), attemptsMade: 2, request: worst, budget: &empty)
                == .giveUp(.notRetriableOutcome)
        )
        #expect(decide(policy, status, attemptsMade: 2, request: worst, budget: &empty) == .giveUp(.attemptsExhausted))
        #expect(decide(policy, status, request: worst, budget: &empty) == .giveUp(.notIdempotent))
        #expect(
            decide(policy, status, request: .init(idempotentMethod: true, bodyReplayable: false), budget: &empty)
                == .giveUp(.bodyNotReplayable)
        )
        #expect(decide(policy, status, elapsed: 20 * ms, retryAfter: 1, budget: &empty) == .giveUp(.retryAfterTooLong))
        #expect(decide(policy, status, elapsed: 20 * ms, retryAfter: 0, budget: &empty) == .giveUp(.deadlineExceeded))
        #expect(decide(policy, status, retryAfter: 0, budget: &empty) == .giveUp(.budgetExhausted))
    }

    @Test func theBackoffGrowsWithTheAttempt() throws {
        let policy = try RetryPolicy(maxAttempts: 10, backoff: Backoff(base: 10 * ms, max: 1 * sec))
        var budget = try plentifulBudget()
        var random = SeededRandom(seed: 11)
        for attemptsMade in 1..<10 {
            let ceiling = policy.backoff.ceiling(forRetry: attemptsMade - 1)
            for _ in 0..<200 {
                let decision = policy.decide(
                    after: .reset,
                    attemptsMade: attemptsMade,
                    request: get,
                    requestStart: start,
                    now: start,
                    budget: &budget,
                    random: &random
                )
                guard case .retry(let delay) = decision else {
                    Issue.record("expected a retry, got \(decision)")
                    return
                }
                #expect(delay <= ceiling)
            }
        }
    }

    @Test func theAttemptDeadlineIsTheEarlierOfPerTryAndOverall() throws {
        let both = try RetryPolicy(perTryTimeout: 300 * ms, timeout: sec)
        #expect(both.attemptDeadline(requestStart: 0, attemptStart: 100 * ms) == 400 * ms)
        #expect(both.attemptDeadline(requestStart: 0, attemptStart: 800 * ms) == sec)
        let perTryOnly = try RetryPolicy(perTryTimeout: 300 * ms)
        #expect(perTryOnly.attemptDeadline(requestStart: 0, attemptStart: 800 * ms) == 1_100 * ms)
        #expect(RetryPolicy.default.attemptDeadline(requestStart: 0, attemptStart: 1) == nil)
    }

    @Test func everyReasonHasADistinctLabel() {
        let labels = Set(GiveUpReason.allCases.map(\.label))
        #expect(labels.count == GiveUpReason.allCases.count)
        #expect(GiveUpReason.budgetExhausted.label == "budget_exhausted")
    }

    @Test func invalidSettingsAreRejectedWithTheirKey() {
        #expect(configError { _ = try RetryPolicy(maxAttempts: 0) }?.key == "max_attempts")
        #expect(configError { _ = try RetryPolicy(maxAttempts: 101) }?.key == "max_attempts")
        #expect(configError { _ = try RetryPolicy(perTryTimeout: 0) }?.key == "per_try_timeout")
        #expect(configError { _ = try RetryPolicy(timeout: 3_601 * sec) }?.key == "timeout")
        #expect(configError { _ = try RetryPolicy(retryAfterCap: 3_601 * sec) }?.key == "retry_after_cap")
        #expect(configError { _ = try StatusCodeSet([429, 99]) }?.key == "retriable_status_codes")
        #expect(configError { _ = try StatusCodeSet([600]) }?.key == "retriable_status_codes")
        #expect(configError { _ = try RetryPolicy(maxAttempts: 100, perTryTimeout: ms, timeout: 3_600 * sec) } == nil)
    }

    @Test func statusCodeSetHoldsExactlyWhatWasInserted() throws {
        let set = try StatusCodeSet([100, 163, 164, 429, 599])
        for code in UInt16(0)...700 {
            #expect(set.contains(code) == [100, 163, 164, 429, 599].contains(code), "code \(code)")
        }
        #expect(StatusCodeSet().isEmpty)
        #expect(!set.isEmpty)
        #expect(try StatusCodeSet([599, 429, 100, 164, 163]) == set)
    }
}
