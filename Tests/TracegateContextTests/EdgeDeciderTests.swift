// EdgeDeciderTests.swift — the edge decision for every trust × traceparent combination, and tracestate.

import Testing
import TracegateContext

let edgeNow: UInt64 = 1_700_000_000 * 1_000_000_000
let callerTrace = TraceID(hi: 0x0af7_6519_16cd_43dd, lo: 0x8448_eb21_1c80_319c)
let callerSpan = SpanID(0xb7ad_6b71_6920_3331)

func makeDecider(_ configure: (inout EdgePolicy) -> Void = { _ in }) -> EdgeDecider {
    var policy = EdgePolicy()
    configure(&policy)
    return EdgeDecider(policy: policy)
}

enum TraceparentCase: String, CaseIterable, Sendable {
    case absent, valid, invalid, repeated

    var view: UnsafeRawBufferPointer? {
        switch self {
        case .absent: return nil
        case .valid, .repeated: return bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        case .invalid: return bytes("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")
        }
    }
}

@Suite struct EdgeTraceTests {
    @Test(arguments: [true, false], TraceparentCase.allCases)
    func originForEveryTrustAndHeaderCombination(_ trusted: Bool, _ header: TraceparentCase) {
        for policy in [UntrustedTraceparentPolicy.restart, .continue] {
            var decider = makeDecider { $0.untrustedTraceparent = policy }
            var random = FastRandom(seed: 1)
            let input = EdgeInput(
                trusted: trusted,
                nowNanos: edgeNow,
                traceparent: header.view,
                traceparentRepeated: header == .repeated
            )
            let decision = decider.decide(input, random: &random)
            let expected: TraceOrigin
            switch header {
            case .absent: expected = .new
            case .invalid, .repeated: expected = .restartedInvalid
            case .valid: expected = trusted || policy == .continue ? .continued : .restartedUntrusted
            }
            #expect(decision.traceOrigin == expected, "trusted \(trusted) \(header) \(policy)")
            #expect(decision.traceID.isValid && decision.serverSpanID.isValid)
            #expect((decision.traceID == callerTrace) == (expected == .continued))
            #expect((decision.callerParentID == callerSpan) == (expected == .continued))
            #expect((decision.link != nil) == (expected == .restartedUntrusted))
        }
    }

    @Test func trustedContinueKeepsTraceIDAndCallerFlags() {
        var decider = makeDecider { $0.sampler = .alwaysOff }
        var random = FastRandom(seed: 2)
        let decision = decider.decide(EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: TraceparentCase.valid.view), random: &random)
        #expect(decision.traceID == callerTrace)
        #expect(decision.callerParentID == callerSpan)
        #expect(decision.serverSpanID != callerSpan)
        #expect(decision.flags == .sampled)  // caller sampled; the ratio sampler is not consulted
        #expect(decision.link == nil)

        let unsampled = decider.decide(
            EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")),
            random: &random
        )
        #expect(unsampled.flags.isEmpty)  // not sampled, and no random flag invented
        let allBits = decider.decide(
            EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-ff")),
            random: &random
        )
        #expect(allBits.flags == [.sampled, .random])  // reserved bits cleared, random carried over
    }

    @Test func traceIDRatioModeResamplesContinuedTracesFromTheirTraceID() {
        // The caller says sampled on every trace; the edge decides from the trace id alone.
        let sampler = RatioSampler(ratio: 0.25)
        var decider = makeDecider {
            $0.sampler = sampler
            $0.samplerMode = .traceIDRatio
        }
        var parentBased = makeDecider { $0.sampler = sampler }
        var random = FastRandom(seed: 9)
        var ids = FastRandom(seed: 10)
        let arena = Arena()
        var sampled = 0
        for _ in 0..<4000 {
            let id = ids.nextTraceID()
            let header = arena.bytes("00-\(id)-b7ad6b7169203331-01")
            let decision = decider.decide(EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: header), random: &random)
            #expect(decision.traceID == id)
            #expect(decision.traceOrigin == .continued)
            #expect(decision.flags.contains(.sampled) == sampler.shouldSample(id))
            if decision.flags.contains(.sampled) { sampled += 1 }
            let kept = parentBased.decide(EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: header), random: &random)
            #expect(kept.flags.contains(.sampled))
        }
        #expect((800...1200).contains(sampled))
    }

    @Test func untrustedDefaultRestartsWithALink() {
        var decider = makeDecider { $0.sampler = .alwaysOff }
        var random = FastRandom(seed: 3)
        let input = EdgeInput(
            trusted: false,
            nowNanos: edgeNow,
            traceparent: TraceparentCase.valid.view,
            tracestate: HeaderFields(bytes("congo=t61rcWkgMzE"))
        )
        let decision = decider.decide(input, random: &random)
        #expect(decision.traceOrigin == .restartedUntrusted)
        #expect(decision.traceID != callerTrace)
        #expect(decision.callerParentID == nil)
        #expect(decision.link == SpanLink(traceID: callerTrace, spanID: callerSpan, flags: .sampled))
        #expect(decision.flags == .random)  // the caller's sampled flag does not leak in
        #expect(!decision.keepTracestate)
    }

    @Test func untrustedWithContinuePolicyContinues() {
        var decider = makeDecider { $0.untrustedTraceparent = .continue }
        var random = FastRandom(seed: 4)
        let input = EdgeInput(
            trusted: false,
            nowNanos: edgeNow,
            traceparent: TraceparentCase.valid.view,
            tracestate: HeaderFields(bytes("congo=t61rcWkgMzE"))
        )
        let decision = decider.decide(input, random: &random)
        #expect(decision.traceOrigin == .continued && decision.traceID == callerTrace && decision.link == nil)
        #expect(decision.keepTracestate)
    }

    @Test func newTracesAreSampledByTheSamplerAndFlaggedRandom() {
        var random = FastRandom(seed: 5)
        var on = makeDecider { $0.sampler = .alwaysOn }
        var off = makeDecider { $0.sampler = .alwaysOff }
        var plain = makeDecider { $0.setRandomFlag = false }
        let input = EdgeInput(trusted: true, nowNanos: edgeNow)
        #expect(on.decide(input, random: &random).flags == [.sampled, .random])
        #expect(off.decide(input, random: &random).flags == .random)
        #expect(plain.decide(input, random: &random).flags == .sampled)
        var half = makeDecider { $0.sampler = RatioSampler(ratio: 0.5) }
        var sampled = 0
        for _ in 0..<2000 {
            let decision = half.decide(input, random: &random)
            #expect(decision.isSampled == RatioSampler(ratio: 0.5).shouldSample(decision.traceID))
            if decision.isSampled { sampled += 1 }
        }
        #expect(sampled > 800 && sampled < 1200)
    }

    @Test func tracestateIsKeptOnlyWhenValidAndContinued() {
        var random = FastRandom(seed: 6)
        var decider = makeDecider()
        func keep(_ trusted: Bool, _ traceparent: TraceparentCase, _ fields: HeaderFields) -> Bool {
            decider.decide(
                EdgeInput(trusted: trusted, nowNanos: edgeNow, traceparent: traceparent.view, traceparentRepeated: traceparent == .repeated, tracestate: fields),
                random: &random
            ).keepTracestate
        }
        let valid = HeaderFields([bytes("rojo=00f067aa0ba902b7"), bytes("congo=t61rcWkgMzE")])
        #expect(keep(true, .valid, valid))
        #expect(!keep(true, .valid, HeaderFields(bytes("Rojo=1"))))
        #expect(!keep(true, .valid, HeaderFields(bytes("a=1,a=2"))))
        #expect(!keep(true, .valid, HeaderFields(bytes(" , "))))
        #expect(!keep(true, .valid, HeaderFields()))
        #expect(!keep(true, .invalid, valid))
        #expect(!keep(true, .repeated, valid))
        #expect(!keep(true, .absent, valid))
        #expect(!keep(false, .valid, valid))
        var lenient = makeDecider { $0.tracestate = TraceStateRules(rejectDuplicateKeys: false) }
        let duplicates = lenient.decide(
            EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: TraceparentCase.valid.view, tracestate: HeaderFields(bytes("a=1,a=2"))),
            random: &random
        )
        #expect(duplicates.keepTracestate)
    }

    @Test func toleratesOWSAroundTraceparent() {
        var decider = makeDecider()
        var random = FastRandom(seed: 7)
        let decision = decider.decide(
            EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: bytes("\t 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 \t")),
            random: &random
        )
        #expect(decision.traceOrigin == .continued)
    }

    @Test func upstreamAndResponseHeadersCarryTheDecision() throws {
        var decider = makeDecider()
        var random = FastRandom(seed: 8)
        let decision = decider.decide(EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: TraceparentCase.valid.view), random: &random)
        let firstAttempt = random.nextSpanID()
        let retry = random.nextSpanID()
        let up1 = written { decision.writeUpstreamTraceparent(clientSpanID: firstAttempt, into: &$0) }
        let up2 = written { decision.writeUpstreamTraceparent(clientSpanID: retry, into: &$0) }
        let p1 = try #require(withBytes(up1) { TraceParent.parse($0) })
        let p2 = try #require(withBytes(up2) { TraceParent.parse($0) })
        #expect(p1.traceID == callerTrace && p2.traceID == callerTrace)
        #expect(p1.parentID == firstAttempt && p2.parentID == retry && firstAttempt != retry)
        #expect(p1.flags == decision.flags)
        let response = written { decision.writeTraceresponse(into: &$0) }
        #expect(response == "00-0af7651916cd43dd8448eb211c80319c-\(decision.serverSpanID)-01")
    }

    @Test(arguments: [
        (TraceresponsePolicy.trusted, true, true), (.trusted, false, false),
        (.always, true, true), (.always, false, true),
        (.never, true, false), (.never, false, false),
    ] as [(TraceresponsePolicy, Bool, Bool)])
    func traceresponsePolicy(_ policy: TraceresponsePolicy, _ trusted: Bool, _ expected: Bool) {
        var decider = makeDecider { $0.traceresponse = policy }
        var random = FastRandom(seed: 9)
        #expect(decider.decide(EdgeInput(trusted: trusted, nowNanos: edgeNow), random: &random).sendTraceresponse == expected)
    }

    @Test func forwardsIncomingFollowsTheDecision() {
        var decider = makeDecider()
        var random = FastRandom(seed: 10)
        let kept = decider.decide(
            EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: TraceparentCase.valid.view, tracestate: HeaderFields(bytes("a=1")), correlationID: bytes("req-1")),
            random: &random
        )
        #expect(kept.forwardsIncoming(.tracestate) && kept.forwardsIncoming(.correlation))
        for header in [EdgeHeader.traceparent, .baggage, .debug, .session] { #expect(!kept.forwardsIncoming(header)) }
        let fresh = decider.decide(EdgeInput(trusted: false, nowNanos: edgeNow, correlationID: bytes("bad id")), random: &random)
        #expect(!fresh.forwardsIncoming(.tracestate) && !fresh.forwardsIncoming(.correlation))
    }
}
