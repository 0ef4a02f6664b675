// FaultInjectionTests.swift — route faults, percentages, fault headers and the plan one request gets.

import Testing
import TracegateResilience

@Suite("Fault injection")
struct FaultInjectionTests {
    /// Runs `body` with a view of `text`'s bytes.
    func bytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        Array(text.utf8).withUnsafeBytes(body)
    }

    func plan(_ route: FaultInjection?, delay: String? = nil, abort: String? = nil, authorised: Bool = true,
              seed: UInt64 = 1) -> FaultDecision {
        var random = SeededRandom(seed: seed)
        let delayBytes = delay.map { Array($0.utf8) }
        let abortBytes = abort.map { Array($0.utf8) }
        func withOptional(_ b: [UInt8]?, _ f: (UnsafeRawBufferPointer?) -> FaultDecision) -> FaultDecision {
            guard let b else { return f(nil) }
            return b.withUnsafeBytes { f($0) }
        }
        return withOptional(delayBytes) { d in
            withOptional(abortBytes) { a in
                FaultInjection.plan(route: route, delayHeader: d, abortHeader: a, authorised: authorised, random: &random)
            }
        }
    }

    func expectPlan(_ decision: FaultDecision, sourceLocation: SourceLocation = #_sourceLocation) -> FaultPlan {
        guard case .plan(let p) = decision else {
            Issue.record("expected a plan, got \(decision)", sourceLocation: sourceLocation)
            return FaultPlan()
        }
        return p
    }

    @Test("settings are validated with their keys")
    func validation() {
        #expect(throws: ResilienceConfigError(key: "delay.duration", reason: "must be in 1000000...3600000000000, got 0")) {
            try FaultInjection.Delay(nanos: 0)
        }
        #expect(throws: ResilienceConfigError(key: "delay.percentage", reason: "must be in 0.0...100.0, got 100.5")) {
            try FaultInjection.Delay(nanos: 5_000_000, percentage: 100.5)
        }
        #expect(throws: ResilienceConfigError(key: "abort.status", reason: "must be in 200...599, got 199")) {
            try FaultInjection.Abort(status: 199)
        }
        #expect(throws: ResilienceConfigError(key: "abort.status", reason: "must be in 200...599, got 600")) {
            try FaultInjection.Abort(status: 600)
        }
        #expect(throws: ResilienceConfigError(key: "abort.percentage", reason: "must be a finite number, got nan")) {
            try FaultInjection.Abort(status: 503, percentage: .nan)
        }
        #expect(throws: ResilienceConfigError(key: "abort.percentage", reason: "must be in 0.0...100.0, got -1.0")) {
            try FaultInjection.Abort(status: 503, percentage: -1)
        }
    }

    @Test("0 never fires and 100 always does, without drawing")
    func certainPercentages() throws {
        let never = try FaultPercentage(0)
        let always = try FaultPercentage(100)
        #expect(always == FaultPercentage.always)
        for draw: UInt64 in [0, 1, 1 << 11, .max / 2, .max] {
            #expect(!never.fires(draw: draw))
            #expect(always.fires(draw: draw))
        }
        // A tiny percentage still fires for the smallest draws (rounding keeps it above zero).
        let tiny = try FaultPercentage(0.000_001)
        #expect(tiny.threshold > 0)
        #expect(tiny.fires(draw: 0))
        #expect(!tiny.fires(draw: .max))
    }

    @Test("a middle percentage fires within tolerance over many seeded draws", arguments: [1.0, 12.5, 50, 99])
    func distribution(percent: Double) throws {
        let route = FaultInjection(delay: try .init(nanos: 10_000_000, percentage: percent),
                                   abort: try .init(status: 503, percentage: percent))
        var random = SeededRandom(seed: 42)
        let n = 100_000
        var delays = 0, aborts = 0, both = 0
        for _ in 0..<n {
            guard case .plan(let p) = FaultInjection.plan(route: route, delayHeader: nil, abortHeader: nil,
                                                          authorised: false, random: &random) else {
                Issue.record("no plan")
                return
            }
            if p.delays { delays += 1 }
            if p.aborts { aborts += 1 }
            if p.delays && p.aborts { both += 1 }
        }
        let expected = Double(n) * percent / 100
        // Five standard deviations of a binomial: a correct roll fails this about once in 3.5 million runs.
        let tolerance = 5 * (expected * (1 - percent / 100)).squareRoot() + 1
        #expect(abs(Double(delays) - expected) <= tolerance, "\(delays) delays for \(expected)")
        #expect(abs(Double(aborts) - expected) <= tolerance, "\(aborts) aborts for \(expected)")
        // The two draws are independent: both fire for about percent² of requests.
        let expectedBoth = Double(n) * percent * percent / 10_000
        let toleranceBoth = 5 * (expectedBoth * (1 - percent * percent / 10_000)).squareRoot() + 1
        #expect(abs(Double(both) - expectedBoth) <= toleranceBoth, "\(both) both for \(expectedBoth)")
    }

    @Test("route faults: delay, abort, both, with labels and flags")
    func routeFaults() throws {
        let delay = try FaultInjection.Delay(nanos: 250_000_000)
        let abort = try FaultInjection.Abort(status: 503)
        let d = expectPlan(plan(FaultInjection(delay: delay), authorised: false))
        #expect(d.delays && !d.aborts && d.delayNanos == 250_000_000 && d.delayMillis == 250)
        #expect(d.label.description == "delay")
        #expect(d.flags == FaultPlan.Flag.delay)
        let a = expectPlan(plan(FaultInjection(abort: abort), authorised: false))
        #expect(a.aborts && !a.delays && a.abortStatus == 503 && a.label.description == "abort")
        let both = expectPlan(plan(FaultInjection(delay: delay, abort: abort), authorised: false))
        #expect(both.label.description == "delay+abort")
        #expect(expectPlan(plan(nil)).isEmpty)
        #expect(expectPlan(plan(nil)).label.description == "")
    }

    @Test("an authorised caller's headers apply always and replace the route's fault of their kind")
    func headersOverride() throws {
        let route = FaultInjection(delay: try .init(nanos: 1_000_000_000, percentage: 0),
                                   abort: try .init(status: 503, percentage: 0))
        let p = expectPlan(plan(route, delay: " 150 ", abort: "418"))
        #expect(p.delayNanos == 150_000_000 && p.abortStatus == 418)
        #expect(p.flags == FaultPlan.Flag.delay | FaultPlan.Flag.abort | FaultPlan.Flag.delayFromHeader | FaultPlan.Flag.abortFromHeader)
        // delay-ms 0 turns a route delay off.
        let always = FaultInjection(delay: try .init(nanos: 1_000_000_000))
        let off = expectPlan(plan(always, delay: "0"))
        #expect(off.isEmpty && off.delayNanos == 0)
        // An abort header keeps the route's delay (delay, then abort).
        let mixed = expectPlan(plan(always, abort: "500"))
        #expect(mixed.delayNanos == 1_000_000_000 && mixed.abortStatus == 500)
        #expect(mixed.flags == FaultPlan.Flag.delay | FaultPlan.Flag.abort | FaultPlan.Flag.abortFromHeader)
    }

    @Test("an unauthorised caller's headers change nothing, valid or not")
    func unauthorisedHeadersIgnored() throws {
        #expect(expectPlan(plan(nil, delay: "100", abort: "503", authorised: false)).isEmpty)
        #expect(expectPlan(plan(nil, delay: "garbage", abort: "9999", authorised: false)).isEmpty)
        let route = FaultInjection(abort: try .init(status: 502))
        #expect(expectPlan(plan(route, abort: "200", authorised: false)).abortStatus == 502)
    }

    @Test("an authorised caller's unreadable header is refused, not half-applied",
          arguments: [
              ("", nil), ("abc", nil), ("-5", nil), ("60001", nil), ("123456", nil), ("1.5", nil), ("1 2", nil),
              (nil, "199"), (nil, "600"), (nil, "50"), (nil, "5030"), (nil, "5x3"), (nil, ""),
          ] as [(String?, String?)])
    func invalidHeaders(delay: String?, abort: String?) {
        let expected: FaultHeaderProblem = delay != nil ? .delay : .abort
        #expect(plan(nil, delay: delay, abort: abort) == .invalidHeader(expected))
    }

    @Test("header grammar: digits between optional spaces and tabs, bounded")
    func headerGrammar() {
        #expect(bytes("60000") { FaultHeaders.delayMillis($0) } == 60_000)
        #expect(bytes("\t7 ") { FaultHeaders.delayMillis($0) } == 7)
        #expect(bytes("00010") { FaultHeaders.delayMillis($0) } == 10)
        #expect(bytes("60001") { FaultHeaders.delayMillis($0) } == nil)
        #expect(bytes(" ") { FaultHeaders.delayMillis($0) } == nil)
        #expect(bytes("200") { FaultHeaders.abortStatus($0) } == 200)
        #expect(bytes(" 599") { FaultHeaders.abortStatus($0) } == 599)
        #expect(bytes("0503") { FaultHeaders.abortStatus($0) } == nil)
        #expect(FaultHeaders.maxDelayMillis == 60_000)
    }
}
