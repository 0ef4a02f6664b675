// OutlierDetectorTests.swift — consecutive-failure ejection, its caps, returns and backoff.

import Testing

@testable import TracegateResilience

@Suite struct OutlierDetectorTests {
    let serverError = AttemptOutcome.response(status: 500)
    let badGateway = AttemptOutcome.response(status: 502)
    let ok = AttemptOutcome.response(status: 200)

    func detector(
        endpoints: Int,
        percent: Int = 100,
        alwaysEjectOne: Bool = false,
        consecutive5xx: Int = 5,
        gateway: Int = 5,
        base: UInt64 = 30 * sec,
        max: UInt64 = 300 * sec
    ) throws -> OutlierDetector {
        OutlierDetector(
            configuration: try .init(
                consecutive5xx: consecutive5xx,
                consecutiveGatewayFailures: gateway,
                baseEjectionTime: base,
                maxEjectionTime: max,
                maxEjectionPercent: percent,
                alwaysEjectOne: alwaysEjectOne
            ),
            endpointCount: endpoints
        )
    }

    /// Records `count` copies of `outcome` for `endpoint`; returns the last event.
    @discardableResult
    func fail(
        _ detector: inout OutlierDetector,
        _ endpoint: Int,
        _ outcome: AttemptOutcome,
        times count: Int = 5,
        now: UInt64
    ) -> EjectionEvent? {
        var last: EjectionEvent?
        for _ in 0..<count {
            last = detector.record(endpoint: endpoint, outcome: outcome, now: now)
        }
        return last
    }

    @Test func consecutive5xxEjectsForTheBaseTime() throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: 4)
        #expect(fail(&detector, 1, serverError, times: 4, now: clock.now) == nil)
        let event = detector.record(endpoint: 1, outcome: serverError, now: clock.now)
        let expected = Ejection(endpoint: 1, reason: .consecutive5xx, until: clock.now + 30 * sec, timesEjected: 1)
        #expect(event == .ejected(expected))
        #expect(detector.isEjected(1, now: clock.now) == true)
        #expect(detector.ejectedCount == 1)
        #expect(!detector.isAvailable(1))
    }

    @Test func aSuccessOr4xxBreaksTheStreak() throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: 4)
        for interruption in [ok, .response(status: 404)] {
            #expect(fail(&detector, 0, serverError, times: 4, now: clock.now) == nil)
            #expect(detector.record(endpoint: 0, outcome: interruption, now: clock.now) == nil)
        }
        #expect(fail(&detector, 0, serverError, times: 4, now: clock.now) == nil)
        #expect(detector.isEjected(0, now: clock.now) == false)
    }

    @Test func connectFailuresAreGatewayFailures() throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: 4, consecutive5xx: 0, gateway: 3)
        let event = fail(&detector, 2, .connectFailure, times: 3, now: clock.now)
        guard case .ejected(let ejection) = event else {
            Issue.record("expected an ejection, got \(String(describing: event))")
            return
        }
        #expect(ejection.reason == .consecutiveGatewayFailures)
    }

    @Test func anOther5xxResetsTheGatewayStreakButNotThe5xxStreak() throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: 4, consecutive5xx: 6, gateway: 3)
        for outcome in [badGateway, .timeout, serverError, badGateway, .reset] {
            #expect(detector.record(endpoint: 0, outcome: outcome, now: clock.now) == nil)
        }
        // Six 5xx in a row (local failures count as 503/504): the 5xx detector fires first.
        guard case .ejected(let ejection) = detector.record(endpoint: 0, outcome: serverError, now: clock.now) else {
            Issue.record("expected an ejection")
            return
        }
        #expect(ejection.reason == .consecutive5xx)
    }

    @Test func zeroThresholdsDisableDetection() throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: 4, consecutive5xx: 0, gateway: 0)
        #expect(fail(&detector, 0, .connectFailure, times: 100, now: clock.now) == nil)
        #expect(detector.ejectedCount == 0)
    }

    @Test func neverMoreThanTheMaxPercentIsEjected() throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: 10, percent: 20)
        #expect(fail(&detector, 0, serverError, now: clock.now)?.isEjection == true)
        #expect(fail(&detector, 1, serverError, now: clock.now)?.isEjection == true)
        #expect(fail(&detector, 2, serverError, now: clock.now) == .suppressed(endpoint: 2, reason: .consecutive5xx))
        #expect(detector.ejectedCount == 2)
        #expect(detector.isEjected(2, now: clock.now) == false)
        // The suppressed endpoint's streak restarts, as after any detection.
        #expect(fail(&detector, 2, serverError, times: 4, now: clock.now) == nil)
    }

    @Test func aSmallPercentOfASmallClusterEjectsNothingUnlessAlwaysEjectOne() throws {
        let clock = ManualClock()
        var strict = try detector(endpoints: 3, percent: 10)
        #expect(fail(&strict, 0, serverError, now: clock.now) == .suppressed(endpoint: 0, reason: .consecutive5xx))
        var lenient = try detector(endpoints: 3, percent: 10, alwaysEjectOne: true)
        #expect(fail(&lenient, 0, serverError, now: clock.now)?.isEjection == true)
        #expect(fail(&lenient, 1, serverError, now: clock.now) == .suppressed(endpoint: 1, reason: .consecutive5xx))
    }

    @Test(arguments: [1, 2, 3, 7])
    func atLeastOneEndpointIsAlwaysKept(endpoints: Int) throws {
        let clock = ManualClock()
        var detector = try detector(endpoints: endpoints, percent: 100, alwaysEjectOne: true)
        for endpoint in 0..<endpoints {
            fail(&detector, endpoint, .connectFailure, now: clock.now)
        }
        #expect(detector.ejectedCount == endpoints - 1)
        #expect(detector.availableCount == 1)
        #expect(detector.nextAvailable(from: 0, now: clock.now) == endpoints - 1)
    }

    @Test func ejectedEndpointsReturnWhenTheirTimePasses() throws {
        var clock = ManualClock()
        var detector = try detector(endpoints: 4)
        fail(&detector, 1, serverError, now: clock.now)
        clock.advance(by: 10 * sec)
        fail(&detector, 2, serverError, now: clock.now)
        clock.advance(by: 20 * sec - 1)
        #expect(detector.isEjected(1, now: clock.now) == true)
        #expect(detector.returnDue(now: clock.now) == nil)
        clock.advance(by: 1)
        #expect(detector.isEjected(1, now: clock.now) == false, "back after exactly 30 s")
        #expect(detector.isEjected(2, now: clock.now) == true)
        clock.advance(by: 10 * sec)
        #expect(detector.returnDue(now: clock.now) == 2)
        #expect(detector.returnDue(now: clock.now) == nil)
        #expect(detector.ejectedCount == 0)
    }

    @Test func tickReturnsEveryDueEndpoint() throws {
        var clock = ManualClock()
        var detector = try detector(endpoints: 8)
        for endpoint in [1, 3, 5] {
            fail(&detector, endpoint, serverError, now: clock.now)
        }
        #expect(detector.tick(now: clock.now) == 0)
        clock.advance(by: 30 * sec)
        #expect(detector.tick(now: clock.now) == 3)
        #expect(detector.ejectedCount == 0)
    }

    @Test func selectionSkipsEjectedEndpointsAndWraps() throws {
        var clock = ManualClock()
        var detector = try detector(endpoints: 5)
        for endpoint in [1, 2, 4] {
            fail(&detector, endpoint, serverError, now: clock.now)
        }
        #expect(detector.nextAvailable(from: 0, now: clock.now) == 0)
        #expect(detector.nextAvailable(from: 1, now: clock.now) == 3)
        #expect(detector.nextAvailable(from: 4, now: clock.now) == 0)
        #expect(detector.nextAvailable(from: 9, now: clock.now) == 0)
        clock.advance(by: 30 * sec)
        #expect(detector.nextAvailable(from: 1, now: clock.now) == 1, "returned lazily on selection")
        #expect(OutlierDetector(endpointCount: 0).isAvailable(0) == false)
        var empty = OutlierDetector(endpointCount: 0)
        #expect(empty.nextAvailable(from: 0, now: clock.now) == nil)
    }

    @Test func outcomesWhileEjectedAreIgnored() throws {
        var clock = ManualClock()
        var detector = try detector(endpoints: 4)
        fail(&detector, 0, serverError, now: clock.now)
        #expect(fail(&detector, 0, serverError, times: 20, now: clock.now) == nil)
        clock.advance(by: 30 * sec)
        // Back with fresh counters: four more failures are not enough.
        #expect(fail(&detector, 0, serverError, times: 4, now: clock.now) == nil)
        #expect(detector.isEjected(0, now: clock.now) == false)
    }

    @Test func repeatedEjectionsLastLongerUpToTheMax() throws {
        var clock = ManualClock()
        var detector = try detector(endpoints: 4, base: 30 * sec, max: 70 * sec)
        var durations: [UInt64] = []
        var multipliers: [Int] = []
        for _ in 0..<5 {
            guard case .ejected(let ejection) = fail(&detector, 0, serverError, now: clock.now) else {
                Issue.record("expected an ejection")
                return
            }
            durations.append((ejection.until - clock.now) / sec)
            multipliers.append(ejection.timesEjected)
            clock.advance(by: ejection.until - clock.now)
        }
        #expect(durations == [30, 60, 70, 70, 70])
        // Envoy grows the multiplier only while base × multiplier < max + base: 3 × 30 < 100
        // grows it to 4, 4 × 30 ≥ 100 stops it there.
        #expect(multipliers == [1, 2, 3, 4, 4])
    }

    @Test func theMultiplierDecaysWhileTheEndpointStaysHealthy() throws {
        var clock = ManualClock()
        var detector = try detector(endpoints: 4, base: 10 * sec, max: 300 * sec)
        for _ in 0..<3 {
            guard case .ejected(let ejection) = fail(&detector, 0, serverError, now: clock.now) else {
                Issue.record("expected an ejection")
                return
            }
            clock.advance(by: ejection.until - clock.now)
        }
        #expect(detector.timesEjected(0, now: clock.now) == 3)
        clock.advance(by: 10 * sec - 1)
        #expect(detector.timesEjected(0, now: clock.now) == 3)
        clock.advance(by: 1)
        #expect(detector.timesEjected(0, now: clock.now) == 2, "one decay interval (10 s) of health")
        clock.advance(by: 10 * sec)
        guard case .ejected(let ejection) = fail(&detector, 0, serverError, now: clock.now) else {
            Issue.record("expected an ejection")
            return
        }
        #expect(ejection.timesEjected == 2, "decayed to 1, then this ejection")
        #expect(ejection.until == clock.now + 20 * sec)
        clock.advance(by: 20 * sec + 100 * sec)
        #expect(detector.timesEjected(0, now: clock.now) == 0)
    }

    @Test func bitSetWorksAcrossWordBoundaries() {
        var set = EndpointBitSet(count: 130)
        for index in [0, 63, 64, 65, 127, 128] {
            set.insert(index)
        }
        set.insert(130)
        set.insert(-1)
        #expect(set.contains(63) && set.contains(64) && set.contains(128))
        #expect(!set.contains(129) && !set.contains(130) && !set.contains(-1))
        #expect(set.firstClear(from: 63) == 66)
        #expect(set.firstClear(from: 127) == 129)
        #expect(set.firstClear(from: 128) == 129)
        #expect(set.firstSet(from: 1) == 63)
        #expect(set.firstSet(from: 66) == 127)
        #expect(set.firstSet(from: 129) == nil)
        for index in 0..<130 {
            set.insert(index)
        }
        #expect(set.firstClear(from: 17) == nil)
        set.remove(5)
        #expect(set.firstClear(from: 17) == 5, "wraps around")
        #expect(EndpointBitSet(count: 0).firstClear(from: 0) == nil)
    }

    @Test func invalidSettingsAreRejectedWithTheirKey() {
        typealias Config = OutlierDetector.Configuration
        #expect(configError { _ = try Config(consecutive5xx: -1) }?.key == "consecutive_5xx")
        #expect(
            configError { _ = try Config(consecutiveGatewayFailures: 10_001) }?.key == "consecutive_gateway_failures"
        )
        #expect(configError { _ = try Config(baseEjectionTime: 0) }?.key == "base_ejection_time")
        #expect(
            configError { _ = try Config(baseEjectionTime: 60 * sec, maxEjectionTime: 30 * sec) }?.key
                == "max_ejection_time"
        )
        #expect(configError { _ = try Config(maxEjectionPercent: 101) }?.key == "max_ejection_percent")
        #expect(configError { _ = try Config(decayInterval: 0) }?.key == "decay_interval")
        #expect(OutlierDetector.Configuration.default == (try? Config()))
    }
}

extension EjectionEvent {
    var isEjection: Bool {
        if case .ejected = self { return true }
        return false
    }
}
