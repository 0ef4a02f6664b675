// RetryBudgetTests.swift — budget arithmetic over the window, expiry, and the bound on retries.

import Testing
import TracegateResilience

@Suite struct RetryBudgetTests {
    func budget(ttl: UInt64 = 10 * sec, floor: Int, ratio: Double, now: UInt64) throws -> RetryBudget {
        try RetryBudget(
            configuration: .init(ttl: ttl, minRetriesPerSecond: floor, retryRatio: ratio),
            now: now
        )
    }

    /// Withdraws until refused; returns how many were granted.
    func drain(_ budget: inout RetryBudget, now: UInt64) -> Int {
        var granted = 0
        while budget.tryWithdraw(now: now) {
            granted += 1
        }
        return granted
    }

    @Test func aNewBudgetHoldsOnlyTheReserve() {
        let clock = ManualClock()
        var budget = RetryBudget(now: clock.now)
        // Finagle's defaults: 10 retries per second over 10 s.
        #expect(budget.balance(now: clock.now) == 100)
        #expect(drain(&budget, now: clock.now) == 100)
        #expect(budget.tryWithdraw(now: clock.now) == false)
    }

    @Test func eachRequestDepositsTheRatio() throws {
        let clock = ManualClock()
        var budget = try budget(floor: 0, ratio: 0.2, now: clock.now)
        #expect(budget.tryWithdraw(now: clock.now) == false)
        for _ in 0..<4 {
            budget.recordRequest(now: clock.now)
        }
        #expect(budget.tryWithdraw(now: clock.now) == false, "4 × 0.2 is less than one token")
        budget.recordRequest(now: clock.now)
        #expect(budget.tryWithdraw(now: clock.now) == true)
        #expect(budget.tryWithdraw(now: clock.now) == false)
        for _ in 0..<10 {
            budget.recordRequest(now: clock.now)
        }
        #expect(budget.balance(now: clock.now) == 2)
    }

    @Test func aRatioAboveOneGivesSeveralRetriesPerRequest() throws {
        let clock = ManualClock()
        var budget = try budget(floor: 0, ratio: 2.5, now: clock.now)
        budget.recordRequest(now: clock.now)
        budget.recordRequest(now: clock.now)
        #expect(drain(&budget, now: clock.now) == 5)
    }

    /// The property the budget exists for: with every request failing and retried as often as
    /// the budget allows, the retries inside one window are at most ratio · N + floor · ttl —
    /// and the budget does grant that many, so the bound is tight.
    @Test(
        arguments: [
            (0, 0.2, 10), (50, 0.2, 10), (1_000, 0.2, 10), (1_000, 0.5, 0), (3_000, 0.1, 1), (997, 0.3, 2),
            (10_000, 0.2, 0), (400, 0, 5),
        ] as [(Int, Double, Int)]
    )
    func retriesInOneWindowNeverExceedRatioTimesRequestsPlusFloorTimesTTL(
        requests: Int,
        ratio: Double,
        floor: Int
    ) throws {
        var clock = ManualClock()
        let ttl = 10 * sec
        var budget = try budget(ttl: ttl, floor: floor, ratio: ratio, now: clock.now)
        // Spread the requests evenly over 9.9 s, all inside the first window.
        let step = requests > 0 ? (ttl - ttl / 100) / UInt64(requests) : 0
        var retries = 0
        for _ in 0..<requests {
            budget.recordRequest(now: clock.now)
            // 100% failures: each request tries three retries.
            for _ in 0..<3 {
                if budget.tryWithdraw(now: clock.now) {
                    retries += 1
                }
            }
            clock.advance(by: step)
        }
        retries += drain(&budget, now: clock.now)
        let bound = (ratio * Double(requests) + Double(floor * 10)).rounded(.down)
        #expect(Double(retries) <= bound)
        #expect(Double(retries) == bound, "the budget grants its whole share")
    }

    @Test func depositsExpireOneTTLLater() throws {
        var clock = ManualClock()
        var budget = try budget(floor: 0, ratio: 0.5, now: clock.now)
        for _ in 0..<10 {
            budget.recordRequest(now: clock.now)
        }
        #expect(budget.balance(now: clock.now) == 5)
        clock.advance(by: 10 * sec - 1)
        #expect(budget.balance(now: clock.now) == 5, "still inside the window")
        clock.advance(by: 1)
        #expect(budget.balance(now: clock.now) == 0, "the slot of the deposits was reused")
        #expect(budget.tryWithdraw(now: clock.now) == false)
    }

    @Test func depositsExpireSlotBySlot() throws {
        var clock = ManualClock()
        var budget = try budget(floor: 0, ratio: 1, now: clock.now)
        // One request per second for 10 s: one token in each slot.
        for _ in 0..<10 {
            budget.recordRequest(now: clock.now)
            clock.advance(by: sec)
        }
        // now = origin + 10 s: the first slot (t = 0) has just expired.
        #expect(budget.balance(now: clock.now) == 9)
        clock.advance(by: 3 * sec)
        #expect(budget.balance(now: clock.now) == 6)
        clock.advance(by: 20 * sec)
        #expect(budget.balance(now: clock.now) == 0)
    }

    @Test func withdrawalsExpireTooSoTheReserveComesBack() throws {
        var clock = ManualClock()
        var budget = try budget(floor: 1, ratio: 0, now: clock.now)
        #expect(drain(&budget, now: clock.now) == 10)
        clock.advance(by: 5 * sec)
        #expect(budget.tryWithdraw(now: clock.now) == false, "withdrawals still count")
        clock.advance(by: 5 * sec)
        #expect(drain(&budget, now: clock.now) == 10)
    }

    @Test func aLongIdleGapClearsEverything() throws {
        var clock = ManualClock()
        var budget = try budget(floor: 0, ratio: 1, now: clock.now)
        for _ in 0..<50 {
            budget.recordRequest(now: clock.now)
        }
        clock.advance(by: 3_600 * sec)
        #expect(budget.balance(now: clock.now) == 0)
        budget.recordRequest(now: clock.now)
        #expect(budget.balance(now: clock.now) == 1)
    }

    @Test func aClockThatGoesBackwardsNeitherCrashesNorResurrectsDeposits() throws {
        var clock = ManualClock()
        let origin = clock.now
        var budget = try budget(floor: 0, ratio: 1, now: clock.now)
        budget.recordRequest(now: clock.now)
        clock.advance(by: 20 * sec)
        #expect(budget.balance(now: clock.now) == 0)
        #expect(budget.balance(now: origin) == 0)
        #expect(budget.balance(now: 0) == 0)
        budget.recordRequest(now: 0)
        #expect(budget.balance(now: clock.now) == 1)
    }

    /// Steady failure at 100 requests per second for a minute: in every window of ten 1 s slots
    /// the retries stay within 0.2 · requests + 10 · 10, and the budget keeps granting about that.
    @Test func slidingWindowsStayWithinTheBound() throws {
        var clock = ManualClock()
        var budget = RetryBudget(now: clock.now)
        let seconds = 60
        var requestsPerSecond = [Int](repeating: 0, count: seconds)
        var retriesPerSecond = [Int](repeating: 0, count: seconds)
        for second in 0..<seconds {
            for _ in 0..<100 {
                budget.recordRequest(now: clock.now)
                requestsPerSecond[second] += 1
                if budget.tryWithdraw(now: clock.now) {
                    retriesPerSecond[second] += 1
                }
                clock.advance(by: 10 * ms)
            }
        }
        for end in 10...seconds {
            let requests = requestsPerSecond[(end - 10)..<end].reduce(0, +)
            let retries = retriesPerSecond[(end - 10)..<end].reduce(0, +)
            #expect(Double(retries) <= 0.2 * Double(requests) + 100, "window ending at \(end) s")
        }
        let total = retriesPerSecond.reduce(0, +)
        // 100 from the reserve at the start, then about 30 per second (20% of 100 plus 10).
        #expect(total >= 1_700)
    }

    @Test func invalidSettingsAreRejectedWithTheirKey() {
        #expect(configError { _ = try RetryBudget.Configuration(ttl: sec - 1) }?.key == "ttl")
        #expect(configError { _ = try RetryBudget.Configuration(ttl: 61 * sec) }?.key == "ttl")
        #expect(
            configError { _ = try RetryBudget.Configuration(minRetriesPerSecond: -1) }?.key == "min_retries_per_second"
        )
        #expect(configError { _ = try RetryBudget.Configuration(retryRatio: -0.1) }?.key == "retry_ratio")
        #expect(configError { _ = try RetryBudget.Configuration(retryRatio: 1_000.5) }?.key == "retry_ratio")
        #expect(configError { _ = try RetryBudget.Configuration(retryRatio: .nan) }?.key == "retry_ratio")
        #expect(configError { _ = try RetryBudget.Configuration(retryRatio: .infinity) }?.key == "retry_ratio")
        #expect(
            configError { _ = try RetryBudget.Configuration(ttl: 60 * sec, minRetriesPerSecond: 0, retryRatio: 0) }
                == nil
        )
        #expect(RetryBudget.Configuration.default == (try? RetryBudget.Configuration()))
    }
}
