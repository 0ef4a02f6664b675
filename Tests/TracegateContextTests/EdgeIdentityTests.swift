// EdgeIdentityTests.swift — debug, correlation and session parts of the edge decision.

import Testing
import TracegateContext

@Suite struct EdgeDebugTests {
    let secret = Array("edge-secret".utf8)

    private func verdict(
        trusted: Bool,
        _ header: String?,
        secret: [UInt8]? = nil,
        traceparent: TraceparentCase = .absent
    ) -> EdgeDecision {
        var decider = makeDecider {
            $0.sampler = .alwaysOff
            $0.debugKey = secret.map { DebugTokenKey(secret: $0) }
        }
        var random = FastRandom(seed: 11)
        return withArena { arena in
            decider.decide(
                EdgeInput(trusted: trusted, nowNanos: edgeNow, traceparent: traceparent.view, debug: header.map(arena.bytes)),
                random: &random
            )
        }
    }

    @Test func trustedPlainValuesAreHonouredAndForceSampling() {
        for value in ["1", "true", "on", " On "] {
            let decision = verdict(trusted: true, value)
            #expect(decision.debug == .honoured(.trusted), "\(value)")
            #expect(decision.isSampled)
        }
        // Also on a continued trace whose caller did not sample.
        var decider = makeDecider()
        var random = FastRandom(seed: 12)
        let continued = decider.decide(
            EdgeInput(trusted: true, nowNanos: edgeNow, traceparent: bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"), debug: bytes("1")),
            random: &random
        )
        #expect(continued.traceOrigin == .continued && continued.flags == .sampled)
    }

    @Test func untrustedUnsignedDebugIsRejected() {
        let decision = verdict(trusted: false, "1", secret: secret)
        #expect(decision.debug == .rejected(.unsigned))
        #expect(!decision.isSampled)
        #expect(verdict(trusted: false, nil).debug == .absent)
    }

    @Test func signedTokensAreHonouredFromAnyPeer() {
        let token = DebugToken.sign(expiry: 1_700_000_060, secret: secret)
        for trusted in [false, true] {
            let decision = verdict(trusted: trusted, token, secret: secret)
            #expect(decision.debug == .honoured(.signed))
            #expect(decision.isSampled)
        }
    }

    @Test func badTokensAreRejectedWithTheReason() {
        #expect(verdict(trusted: false, DebugToken.sign(expiry: 1_699_999_999, secret: secret), secret: secret).debug == .rejected(.expired))
        #expect(verdict(trusted: false, DebugToken.sign(expiry: 1_700_000_060, secret: Array("x".utf8)), secret: secret).debug == .rejected(.badSignature))
        #expect(verdict(trusted: false, "v1.garbage", secret: secret).debug == .rejected(.malformed))
        #expect(verdict(trusted: true, "0", secret: secret).debug == .rejected(.malformed))
        #expect(verdict(trusted: false, DebugToken.sign(expiry: 1_700_000_060, secret: secret)).debug == .rejected(.noSecret))
        #expect(!verdict(trusted: false, "v1.garbage", secret: secret).isSampled)
    }

    @Test func rateLimitedDebugProceedsAsOrdinary() {
        var decider = makeDecider {
            $0.sampler = .alwaysOff
            $0.debugMaxPerSecond = 1
        }
        var random = FastRandom(seed: 13)
        let input = EdgeInput(trusted: true, nowNanos: edgeNow, debug: bytes("1"))
        let first = decider.decide(input, random: &random)
        let second = decider.decide(input, random: &random)
        #expect(first.debug == .honoured(.trusted) && first.isSampled)
        #expect(second.debug == .rateLimited && !second.isSampled)
        var later = input
        later.nowNanos += 1_000_000_000
        #expect(decider.decide(later, random: &random).debug == .honoured(.trusted))
        // Rejected requests do not use up grants.
        var strict = makeDecider { $0.debugMaxPerSecond = 1 }
        _ = strict.decide(EdgeInput(trusted: false, nowNanos: edgeNow, debug: bytes("1")), random: &random)
        #expect(strict.decide(input, random: &random).debug == .honoured(.trusted))
        var none = makeDecider { $0.debugMaxPerSecond = 0 }
        #expect(none.decide(input, random: &random).debug == .rateLimited)
    }
}

@Suite struct EdgeCorrelationTests {
    private func decide(_ correlation: StaticString?, mode: CorrelationMode = .traceID, maxLength: Int = 64) -> (EdgeDecision, String) {
        var decider = makeDecider {
            $0.correlationMode = mode
            $0.correlationMaxLength = maxLength
        }
        var random = FastRandom(seed: 14)
        let input = EdgeInput(trusted: false, nowNanos: edgeNow, correlationID: correlation.map(bytes))
        let decision = decider.decide(input, random: &random)
        return (decision, written { decision.appendCorrelationID(from: input, into: &$0) })
    }

    @Test func keepsAWellFormedIncomingID() {
        let (decision, value) = decide("f47ac10b-58cc-4372-a567-0e02b2c3d479")
        #expect(decision.correlation == .kept && value == "f47ac10b-58cc-4372-a567-0e02b2c3d479")
        let (_, trimmed) = decide(" req-1 ")
        #expect(trimmed == "req-1")
    }

    @Test func generatesFromTheTraceIDWhenAbsent() {
        let (decision, value) = decide(nil)
        #expect(decision.correlation == .generated(.traceID(decision.traceID), incomingRejected: false))
        #expect(value == decision.traceID.description)
    }

    @Test func generatesAUUIDInUUIDMode() {
        let (decision, value) = decide(nil, mode: .uuid)
        guard case .generated(.uuid, incomingRejected: false) = decision.correlation else {
            Issue.record("expected a generated uuid, got \(decision.correlation)")
            return
        }
        #expect(value.count == 36 && Array(value.utf8)[14] == UInt8(ascii: "4"))
    }

    @Test func replacesMalformedOrOverlongIDs() {
        for bad: StaticString in ["a b", "x\"y", "", "<script>"] {
            let (decision, value) = decide(bad)
            #expect(decision.correlation == .generated(.traceID(decision.traceID), incomingRejected: true))
            #expect(value == decision.traceID.description)
        }
        let (long, _) = decide("abcdefghij", maxLength: 9)
        #expect(long.correlation != .kept)
    }
}

@Suite struct EdgeSessionTests {
    private func decide(cookie: [StaticString] = [], header: StaticString? = nil, issue: Bool = false) -> (EdgeDecision, String?) {
        var decider = makeDecider {
            $0.sessionCookieName = Array("tg_session".utf8)
            $0.sessionMaxLength = 40
            $0.issueSession = issue
        }
        var random = FastRandom(seed: 15)
        let input = EdgeInput(
            trusted: false,
            nowNanos: edgeNow,
            sessionFromHeader: header.map(bytes),
            cookie: HeaderFields(cookie.map(bytes))
        )
        let decision = decider.decide(input, random: &random)
        return (decision, decision.withSessionID(from: input) { $0?.text })
    }

    @Test func fromCookie() {
        let (decision, id) = decide(cookie: ["theme=dark; tg_session=abc123; lang=en"], header: "from-header")
        #expect(decision.session == .fromCookie(field: 0, range: 23..<29))
        #expect(id == "abc123")
        let (second, secondID) = decide(cookie: ["theme=dark", "tg_session=xyz"])
        #expect(second.session == .fromCookie(field: 1, range: 11..<14) && secondID == "xyz")
    }

    @Test func fromHeader() {
        let (decision, id) = decide(header: " sess-42 ")
        #expect(decision.session == .fromHeader && id == "sess-42")
        // A malformed cookie falls back to the header.
        let (fallback, fallbackID) = decide(cookie: ["tg_session=bad value"], header: "sess-42")
        #expect(fallback.session == .fromHeader && fallbackID == "sess-42")
    }

    @Test func noneOrIssued() {
        let (none, noneID) = decide(cookie: ["tg_session=bad value"], header: "also bad")
        #expect(none.session == .none && noneID == nil)
        let (issued, issuedID) = decide(header: "has space", issue: true)
        guard case .issueNew(let id) = issued.session else {
            Issue.record("expected a new session")
            return
        }
        #expect(issuedID == id.description && id.description.count == 32)
        let (kept, _) = decide(cookie: ["tg_session=abc"], issue: true)
        #expect(kept.session == .fromCookie(field: 0, range: 11..<14))
    }

    @Test func sessionFeedsBaggage() {
        let (decision, _) = decide(issue: true)
        guard case .issueNew(let id) = decision.session else {
            Issue.record("expected a new session")
            return
        }
        let out = written { sink in
            _ = id.withHexBytes { session in
                Baggage.filter(fields: HeaderFields(bytes("session.id=forged,a=1")), rules: BaggageRules(), trusted: true, prefix: "baggage: ", sessionID: session, into: &sink)
            }
        }
        #expect(out == "baggage: a=1,session.id=\(id)")
    }
}
