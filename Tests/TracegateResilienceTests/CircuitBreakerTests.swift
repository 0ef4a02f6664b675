// CircuitBreakerTests.swift — closed, open, half-open: every transition and what it admits.

import Testing

@testable import TracegateResilience

@Suite struct CircuitBreakerTests {
    /// Window 10, evaluated from 5 calls, 50% failures or 50% slow (≥ 100 ms) open it for 1 s,
    /// two probes.
    let configuration: CircuitBreaker.Configuration
    let ok = AttemptOutcome.response(status: 200)
    let fail = AttemptOutcome.response(status: 500)

    init() throws {
        configuration = try .init(
            windowSize: 10,
            minimumCalls: 5,
            failureRateThreshold: 0.5,
            slowCallRateThreshold: 0.5,
            slowCallDuration: 100 * ms,
            openDuration: sec,
            probeRequests: 2
        )
    }

    /// Admits one call and records its outcome.
    @discardableResult
    func call(
        _ breaker: inout CircuitBreaker,
        _ outcome: AttemptOutcome,
        duration: UInt64 = ms,
        now: UInt64
    ) -> CircuitBreaker.Transition? {
        guard case .admitted(let permit, _) = breaker.admit(now: now) else {
            Issue.record("call was rejected")
            return nil
        }
        return breaker.record(permit, outcome: outcome, duration: duration, now: now)
    }

    /// Opens a fresh breaker with five failures at `now`.
    func openBreaker(now: UInt64) -> CircuitBreaker {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<5 {
            call(&breaker, fail, now: now)
        }
        return breaker
    }

    @Test func aClosedBreakerAdmitsAndWaitsForTheMinimumCalls() {
        let clock = ManualClock()
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<4 {
            #expect(call(&breaker, fail, now: clock.now) == nil)
        }
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.failures == 4)
    }

    @Test func itOpensWhenTheFailureRateReachesTheThreshold() {
        let clock = ManualClock()
        var breaker = CircuitBreaker(configuration: configuration)
        for outcome in [ok, ok, ok, fail, fail] {
            #expect(call(&breaker, outcome, now: clock.now) == nil, "2 of 5 is 40%")
        }
        let transition = call(&breaker, fail, now: clock.now)
        #expect(transition == CircuitBreaker.Transition(from: .closed, to: .open, reason: .failureRate))
        #expect(breaker.state == .open)
        #expect(breaker.snapshot.openUntil == clock.now + sec)
    }

    @Test func itOpensWhenTheSlowCallRateReachesTheThreshold() {
        let clock = ManualClock()
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<2 {
            call(&breaker, ok, duration: 100 * ms, now: clock.now)
        }
        for _ in 0..<2 {
            call(&breaker, ok, duration: 99 * ms, now: clock.now)
        }
        let transition = call(&breaker, ok, duration: 150 * ms, now: clock.now)
        #expect(transition == CircuitBreaker.Transition(from: .closed, to: .open, reason: .slowCallRate))
    }

    @Test func clientErrorsAreNotFailures() {
        let clock = ManualClock()
        var breaker = CircuitBreaker(configuration: configuration)
        for status: UInt16 in [400, 404, 429, 499, 404, 404, 404, 404, 404, 404] {
            #expect(call(&breaker, .response(status: status), now: clock.now) == nil)
        }
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.calls == 10)
        #expect(breaker.snapshot.failures == 0)
    }

    @Test(arguments: [AttemptOutcome.connectFailure, .reset, .timeout, .response(status: 503)])
    func localFailuresAnd5xxAreFailures(outcome: AttemptOutcome) {
        let clock = ManualClock()
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<5 {
            call(&breaker, outcome, now: clock.now)
        }
        #expect(breaker.state == .open)
    }

    @Test func anOpenBreakerRejectsUntilTheOpenDurationThenProbes() {
        var clock = ManualClock()
        var breaker = openBreaker(now: clock.now)
        #expect(breaker.admit(now: clock.now) == .rejected)
        clock.advance(by: sec - 1)
        #expect(breaker.admit(now: clock.now) == .rejected)
        clock.advance(by: 1)
        guard case .admitted(let permit, let transition) = breaker.admit(now: clock.now) else {
            Issue.record("expected a probe")
            return
        }
        #expect(permit.isProbe)
        #expect(transition == CircuitBreaker.Transition(from: .open, to: .halfOpen, reason: .openDurationElapsed))
        #expect(breaker.state == .halfOpen)
    }

    /// `wouldAdmit` answers what `admit` would, in every state, without taking a permit.
    @Test func wouldAdmitPredictsAdmitWithoutTakingAPermit() {
        var clock = ManualClock()
        var closed = CircuitBreaker(configuration: configuration)
        #expect(closed.wouldAdmit(now: clock.now))
        var breaker = openBreaker(now: clock.now)
        #expect(!breaker.wouldAdmit(now: clock.now))
        clock.advance(by: sec)
        #expect(breaker.wouldAdmit(now: clock.now))
        #expect(breaker.state == .open, "asking changes nothing")
        for _ in 0..<2 {
            #expect(breaker.wouldAdmit(now: clock.now))
            guard case .admitted = breaker.admit(now: clock.now) else {
                Issue.record("expected a probe")
                return
            }
        }
        #expect(!breaker.wouldAdmit(now: clock.now), "both probes are out")
        #expect(breaker.admit(now: clock.now) == .rejected)
        _ = closed.admit(now: clock.now)
    }

    @Test func halfOpenAdmitsOnlyTheProbesAndClosesWhenAllSucceed() {
        var clock = ManualClock()
        var breaker = openBreaker(now: clock.now)
        clock.advance(by: sec)
        guard case .admitted(let first, _) = breaker.admit(now: clock.now),
            case .admitted(let second, nil) = breaker.admit(now: clock.now)
        else {
            Issue.record("expected two probes")
            return
        }
        #expect(breaker.admit(now: clock.now) == .rejected, "only two probes at once")
        #expect(breaker.record(first, outcome: ok, duration: ms, now: clock.now) == nil)
        #expect(breaker.admit(now: clock.now) == .rejected, "the succeeded probe still counts")
        let transition = breaker.record(second, outcome: ok, duration: ms, now: clock.now)
        #expect(transition == CircuitBreaker.Transition(from: .halfOpen, to: .closed, reason: .probesSucceeded))
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.calls == 0, "the window starts empty")
        guard case .admitted(let permit, nil) = breaker.admit(now: clock.now) else {
            Issue.record("a closed breaker admits")
            return
        }
        #expect(!permit.isProbe)
    }

    @Test func anyFailedProbeReopensForAnotherPeriod() {
        var clock = ManualClock()
        var breaker = openBreaker(now: clock.now)
        clock.advance(by: sec)
        guard case .admitted(let first, _) = breaker.admit(now: clock.now),
            case .admitted(let second, _) = breaker.admit(now: clock.now)
        else {
            Issue.record("expected two probes")
            return
        }
        #expect(breaker.record(first, outcome: ok, duration: ms, now: clock.now) == nil)
        clock.advance(by: 5 * ms)
        let transition = breaker.record(second, outcome: .reset, duration: ms, now: clock.now)
        #expect(transition == CircuitBreaker.Transition(from: .halfOpen, to: .open, reason: .probeFailed))
        #expect(breaker.snapshot.openUntil == clock.now + sec)
        #expect(breaker.admit(now: clock.now + sec - 1) == .rejected)
        guard case .admitted(_, let again) = breaker.admit(now: clock.now + sec) else {
            Issue.record("expected a probe after the second period")
            return
        }
        #expect(again?.to == .halfOpen)
    }

    @Test func aSlowProbeCountsAsFailed() {
        var clock = ManualClock()
        var breaker = openBreaker(now: clock.now)
        clock.advance(by: sec)
        guard case .admitted(let probe, _) = breaker.admit(now: clock.now) else {
            Issue.record("expected a probe")
            return
        }
        let transition = breaker.record(probe, outcome: ok, duration: 100 * ms, now: clock.now)
        #expect(transition?.reason == .probeFailed)
        #expect(breaker.state == .open)
    }

    @Test func outcomesOfCallsAdmittedBeforeATransitionAreIgnored() {
        var clock = ManualClock()
        var breaker = CircuitBreaker(configuration: configuration)
        guard case .admitted(let early, _) = breaker.admit(now: clock.now) else {
            Issue.record("closed admits")
            return
        }
        for _ in 0..<5 {
            call(&breaker, fail, now: clock.now)
        }
        #expect(breaker.state == .open)
        #expect(breaker.record(early, outcome: fail, duration: ms, now: clock.now) == nil)
        clock.advance(by: sec)
        _ = breaker.admit(now: clock.now)
        #expect(breaker.state == .halfOpen)
        // A success from before the open period must not pass for a probe.
        #expect(breaker.record(early, outcome: ok, duration: ms, now: clock.now) == nil)
        #expect(breaker.snapshot.probesSucceeded == 0)
    }

    @Test func aReleasedProbeFreesItsPlace() {
        var clock = ManualClock()
        var breaker = openBreaker(now: clock.now)
        clock.advance(by: sec)
        guard case .admitted(let first, _) = breaker.admit(now: clock.now),
            case .admitted = breaker.admit(now: clock.now)
        else {
            Issue.record("expected two probes")
            return
        }
        #expect(breaker.admit(now: clock.now) == .rejected)
        breaker.release(first)
        #expect(breaker.snapshot.probesAdmitted == 1)
        guard case .admitted(let third, _) = breaker.admit(now: clock.now) else {
            Issue.record("expected a replacement probe")
            return
        }
        #expect(third.isProbe)
        breaker.release(first)
        #expect(breaker.snapshot.probesAdmitted == 1, "a permit is released once")
    }

    @Test func tickMovesAnExpiredOpenBreakerToHalfOpen() {
        var clock = ManualClock()
        var breaker = openBreaker(now: clock.now)
        #expect(breaker.tick(now: clock.now) == nil)
        clock.advance(by: sec)
        #expect(breaker.tick(now: clock.now)?.to == .halfOpen)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.state.label == "half_open")
        #expect(breaker.tick(now: clock.now) == nil)
        #expect(breaker.snapshot.probesAdmitted == 0)
    }

    @Test func theWindowSlidesOverTheLastNCalls() {
        var window = OutcomeWindow(capacity: 3)
        window.record(failed: true, slow: true)
        window.record(failed: true, slow: false)
        window.record(failed: false, slow: false)
        #expect((window.count, window.failures, window.slowCalls) == (3, 2, 1))
        window.record(failed: false, slow: false)
        #expect((window.count, window.failures, window.slowCalls) == (3, 1, 0))
        window.record(failed: false, slow: true)
        #expect((window.count, window.failures, window.slowCalls) == (3, 0, 1))
        #expect(window.rate(1, reaches: 333_333))
        #expect(!window.rate(1, reaches: 333_334))
        window.reset()
        #expect((window.count, window.failures, window.slowCalls) == (0, 0, 0))
        #expect(!window.rate(0, reaches: 1))
    }

    @Test func oldFailuresSlideOutOfAFullWindow() throws {
        let clock = ManualClock()
        let config = try CircuitBreaker.Configuration(windowSize: 4, minimumCalls: 4, failureRateThreshold: 0.75)
        var breaker = CircuitBreaker(configuration: config)
        for outcome in [fail, fail, ok, ok, ok, fail, fail, ok] {
            #expect(call(&breaker, outcome, now: clock.now) == nil)
        }
        // The window is now [ok, fail, fail, ok]: 50%. One more failure: [fail, fail, ok, fail] = 75%.
        #expect(call(&breaker, fail, now: clock.now)?.reason == .failureRate)
    }

    @Test func defaultsAreResilience4js() {
        let defaults = CircuitBreaker.Configuration.default
        #expect(defaults.windowSize == 100)
        #expect(defaults.minimumCalls == 100)
        #expect(defaults.failureRateThreshold == 0.5)
        #expect(defaults.slowCallRateThreshold == 1)
        #expect(defaults.slowCallDuration == 60 * sec)
        #expect(defaults.openDuration == 60 * sec)
        #expect(defaults.probeRequests == 10)
        #expect(defaults == (try? CircuitBreaker.Configuration()))
    }

    @Test func invalidSettingsAreRejectedWithTheirKey() {
        typealias Config = CircuitBreaker.Configuration
        #expect(configError { _ = try Config(windowSize: 0) }?.key == "window_size")
        #expect(configError { _ = try Config(windowSize: 10, minimumCalls: 11) }?.key == "minimum_calls")
        #expect(configError { _ = try Config(minimumCalls: 0) }?.key == "minimum_calls")
        #expect(configError { _ = try Config(failureRateThreshold: 0) }?.key == "failure_rate_threshold")
        #expect(configError { _ = try Config(failureRateThreshold: 1.01) }?.key == "failure_rate_threshold")
        #expect(configError { _ = try Config(slowCallRateThreshold: .nan) }?.key == "slow_call_rate_threshold")
        #expect(configError { _ = try Config(slowCallDuration: 0) }?.key == "slow_call_duration")
        #expect(configError { _ = try Config(openDuration: 3_601 * sec) }?.key == "open_duration")
        #expect(configError { _ = try Config(probeRequests: 0) }?.key == "probe_requests")
    }
}
