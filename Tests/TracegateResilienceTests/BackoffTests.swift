// BackoffTests.swift — full-jitter bounds, uniformity, the cap, and Retry-After.

import Testing
import TracegateResilience

@Suite struct BackoffTests {
    let backoff: Backoff

    init() throws {
        backoff = try Backoff(base: 10 * ms, max: 80 * ms)
    }

    @Test(arguments: zip([0, 1, 2, 3, 4, 63, 64, 1_000] as [Int], [10, 20, 40, 80, 80, 80, 80, 80] as [UInt64]))
    func ceilingDoublesUntilTheMax(retry: Int, expectedMilliseconds: UInt64) {
        #expect(backoff.ceiling(forRetry: retry) == expectedMilliseconds * ms)
    }

    @Test func ceilingNeverOverflows() throws {
        let huge = try Backoff(base: 3_000 * sec, max: 3_600 * sec)
        #expect(huge.ceiling(forRetry: 0) == 3_000 * sec)
        #expect(huge.ceiling(forRetry: 1) == 3_600 * sec)
        let tiny = try Backoff(base: 1, max: 3_600 * sec)
        #expect(tiny.ceiling(forRetry: 40) == 1 << 40)
        #expect(tiny.ceiling(forRetry: 62) == 3_600 * sec)
    }

    @Test func everySampleIsWithinZeroAndTheCeilingAndTheRangeIsUsed() {
        var random = SeededRandom(seed: 1)
        for retry in 0..<8 {
            let ceiling = backoff.ceiling(forRetry: retry)
            var low = UInt64.max
            var high: UInt64 = 0
            for _ in 0..<5_000 {
                let delay = backoff.delay(forRetry: retry, using: &random)
                #expect(delay <= ceiling)
                #expect(delay <= backoff.max)
                low = min(low, delay)
                high = max(high, delay)
            }
            // Full jitter: the draws reach both ends of [0, ceiling].
            #expect(low < ceiling / 100)
            #expect(high > ceiling - ceiling / 100)
        }
    }

    @Test func samplesAreRoughlyUniform() {
        var random = SeededRandom(seed: 42)
        let ceiling = backoff.ceiling(forRetry: 2)
        let samples = 100_000
        var bins = [Int](repeating: 0, count: 10)
        var sum: Double = 0
        for _ in 0..<samples {
            let delay = backoff.delay(forRetry: 2, using: &random)
            bins[min(9, Int(delay * 10 / (ceiling + 1)))] += 1
            sum += Double(delay)
        }
        for count in bins {
            #expect(abs(count - samples / 10) < samples / 200, "bin \(count) of \(samples)")
        }
        let mean = sum / Double(samples)
        #expect(abs(mean - Double(ceiling) / 2) < Double(ceiling) * 0.01)
    }

    @Test func theSameSeedGivesTheSameDelays() {
        var a = SeededRandom(seed: 7)
        var b = SeededRandom(seed: 7)
        for retry in 0..<20 {
            #expect(backoff.delay(forRetry: retry, using: &a) == backoff.delay(forRetry: retry, using: &b))
        }
    }

    @Test func retryAfterIsHonouredUpToTheCap() {
        #expect(Backoff.retryAfterDelay(0, cap: sec) == 0)
        #expect(Backoff.retryAfterDelay(500 * ms, cap: sec) == 500 * ms)
        #expect(Backoff.retryAfterDelay(sec, cap: sec) == sec)
        #expect(Backoff.retryAfterDelay(sec + 1, cap: sec) == nil)
        #expect(Backoff.retryAfterDelay(1, cap: 0) == nil)
    }

    @Test func defaultsAreEnvoys() {
        #expect(Backoff.default.base == 25 * ms)
        #expect(Backoff.default.max == 250 * ms)
    }

    @Test func invalidSettingsAreRejectedWithTheirKey() {
        #expect(configError { _ = try Backoff(base: 0, max: sec) }?.key == "backoff.base")
        #expect(configError { _ = try Backoff(base: 2 * sec, max: sec) }?.key == "backoff.base")
        #expect(configError { _ = try Backoff(base: 1, max: 0) }?.key == "backoff.max")
        #expect(configError { _ = try Backoff(base: 1, max: 3_601 * sec) }?.key == "backoff.max")
        #expect(configError { _ = try Backoff(base: sec, max: sec) } == nil)
    }
}
