// FaultAuthorisationTests.swift — who may steer the edge with x-tracegate-fault-* headers.

import Testing
import TracegateContext

@Suite("Fault header authorisation")
struct FaultAuthorisationTests {
    func decision(_ debug: DebugVerdict) -> EdgeDecision {
        EdgeDecision(traceID: TraceID(hi: 1, lo: 2), serverSpanID: SpanID(3), callerParentID: nil, flags: [],
                     link: nil, traceOrigin: .new, keepTracestate: false, correlation: .kept, session: .none,
                     debug: debug, sendTraceresponse: false)
    }

    @Test("a trusted peer is authorised whatever its debug header")
    func trustedPeer() {
        for verdict in [DebugVerdict.absent, .rejected(.malformed), .rateLimited, .honoured(.trusted)] {
            #expect(decision(verdict).authorisesFaultHeaders(trusted: true))
        }
    }

    @Test("an untrusted peer only with a signed token the rate limit admitted")
    func untrustedPeer() {
        #expect(decision(.honoured(.signed)).authorisesFaultHeaders(trusted: false))
        for verdict in [DebugVerdict.absent, .rateLimited, .rejected(.unsigned), .rejected(.expired),
                        .rejected(.badSignature), .rejected(.noSecret), .rejected(.malformed)] {
            #expect(!decision(verdict).authorisesFaultHeaders(trusted: false), "\(verdict)")
        }
    }

    @Test("fault headers are never forwarded as they came")
    func neverForwarded() {
        #expect(!decision(.honoured(.signed)).forwardsIncoming(.faultDelay))
        #expect(!decision(.absent).forwardsIncoming(.faultAbort))
    }
}
