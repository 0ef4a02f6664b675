// MirrorBookkeepingTests: gates across reloads, the mirror metric block, comparison kinds, and
// what a primary exchange contributes to a comparison.
import Testing
import TracegateHTTP
import TracegateResilience
@testable import TracegateDataPlane

@Suite struct MirrorBookkeepingTests {
    /// `count` calls of `tryStart(slot)`, their answers in order.
    static func starts(_ gates: inout MirrorGates, _ slot: Int, _ count: Int) -> [Bool] {
        (0..<count).map { _ in gates.tryStart(slot) }
    }

    @Test func gatesAdmitUpToTheBoundAndReleaseOnFinish() {
        var gates = MirrorGates()
        gates.configure(slot: 3, maxInFlight: 2)
        #expect(Self.starts(&gates, 3, 3) == [true, true, false], "the third shadow in flight is dropped")
        #expect(Self.starts(&gates, 2, 1) == [false], "a slot never configured admits nothing")
        gates.finish(3)
        #expect(gates.inFlight(3) == 1)
        #expect(Self.starts(&gates, 3, 2) == [true, false])
    }

    @Test func loweringABoundCarriesTheExcessUntilItRetires() {
        var gates = MirrorGates()
        gates.configure(slot: 0, maxInFlight: 4)
        #expect(Self.starts(&gates, 0, 4) == [true, true, true, true])
        gates.configure(slot: 0, maxInFlight: 1)  // a reload
        #expect(gates.inFlight(0) == 4, "shadows already out still count")
        #expect(gates.maxInFlight(0) == 1)
        #expect(Self.starts(&gates, 0, 1) == [false])
        for _ in 0..<3 { gates.finish(0) }
        #expect(gates.inFlight(0) == 1)
        #expect(Self.starts(&gates, 0, 1) == [false], "back at the new bound")
        gates.finish(0)
        #expect(gates.inFlight(0) == 0)
        #expect(Self.starts(&gates, 0, 2) == [true, false])
    }

    @Test func raisingABoundKeepsTheShadowsInFlight() {
        var gates = MirrorGates()
        gates.configure(slot: 1, maxInFlight: 1)
        #expect(Self.starts(&gates, 1, 1) == [true])
        gates.configure(slot: 1, maxInFlight: 3)
        #expect(gates.inFlight(1) == 1)
        #expect(Self.starts(&gates, 1, 3) == [true, true, false])
        for _ in 0..<5 { gates.finish(1) }  // more finishes than starts never go negative
        #expect(gates.inFlight(1) == 0)
    }

    @Test func kindLabelsFollowMirrorComparisonInCounterOrder() {
        let all: [MirrorComparison] = [
            .statusMatch, .statusMismatch(primary: 200, mirror: 500), .bodyMatch, .bodyMismatch, .skipped(.disabled),
            .skipped(.primaryFailed), .skipped(.mirrorFailed), .skipped(.primaryBodyTooLarge), .skipped(.mirrorBodyTooLarge),
        ]
        #expect(MirrorComparison.kindLabels.count == MirrorComparisonKinds.count)
        #expect(all.map(\.kindIndex) == Array(0..<all.count))
        for c in all { #expect(MirrorComparison.kindLabels[c.kindIndex] == c.label) }
        #expect(all.filter { MirrorComparison.isMismatch(kindIndex: $0.kindIndex) }.map(\.label) == ["status_mismatch", "body_mismatch"])
        #expect(all.filter { MirrorComparison.isMatch(kindIndex: $0.kindIndex) }.map(\.label) == ["status_match", "body_match"])
    }

    @Test func metricBlockCountsBySlotAndOutcome() {
        let m = MirrorMetrics(routeCapacity: 4)
        m.count(.sent, slot: 1)
        m.count(.sent, slot: 1)
        m.count(.droppedInFlight, slot: 1)
        m.count(.skippedBody, slot: 2)
        m.count(.sent, slot: 9)  // out of range: ignored, never a crash
        m.countResponse(.timeout, slot: 1)
        m.countResponse(.response, slot: 1)
        m.countDiff(kindIndex: 3, slot: 1)
        m.adjustInFlight(slot: 1, by: 1)
        m.adjustInFlight(slot: 1, by: 1)
        m.adjustInFlight(slot: 1, by: -1)
        #expect(m.requests(slot: 1, .sent) == 2)
        #expect(m.requests(slot: 1, .droppedInFlight) == 1)
        #expect(m.requests(slot: 1, .skippedBody) == 0)
        #expect(m.requests(slot: 2, .skippedBody) == 1)
        #expect(m.responses(slot: 1, .timeout) == 1)
        #expect(m.responses(slot: 1, .response) == 1)
        #expect(m.responses(slot: 1, .reset) == 0)
        #expect(m.diffs(slot: 1, kindIndex: 3) == 1)
        #expect(m.inFlight(slot: 1) == 1)
        #expect(MirrorMetrics.RequestOutcome.allCases.map(\.label) == ["sent", "dropped_in_flight", "skipped_body"])
    }

    @Test func recentMismatchesKeepTheLastThirtyTwoInOrder() {
        let m = MirrorMetrics(routeCapacity: 4)
        #expect(m.recentMismatches().isEmpty)
        for i in 1...40 {
            m.recordMismatch(MirrorMismatch(traceHi: UInt64(i), traceLo: ~UInt64(i), routeSlot: i % 4, kindIndex: 1,
                                            primaryStatus: 200, shadowStatus: UInt16(500 + i), wallNanos: UInt64(i) * 1000))
        }
        let recent = m.recentMismatches()
        #expect(recent.count == MirrorMetrics.recentCapacity)
        #expect(recent.map(\.traceHi) == (9...40).map { UInt64($0) })
        let last = recent[recent.count - 1]
        #expect(last.traceLo == ~UInt64(40))
        #expect(last.routeSlot == 0)
        #expect(last.kind == "status_mismatch")
        #expect(last.primaryStatus == 200)
        #expect(last.shadowStatus == 540)
        #expect(last.wallNanos == 40_000)
    }

    /// An exchange that got `status` from its upstream and delivered it whole.
    static func finished(status: Int, digesting: Bool = false) -> Exchange {
        var x = Exchange()
        x.responseHeadParsed = true
        x.status = status
        x.responseTracker = BodyTracker(framing: .none)
        x.mirror.digesting = digesting
        x.mirror.digest = BodyDigest(maxBody: 16)
        return x
    }

    @Test func primaryContributesItsUpstreamStatusOnlyWhenDeliveredWhole() throws {
        #expect(MirrorLink.primaryResponse(of: Self.finished(status: 404), delivered: true) == .init(status: 404))
        #expect(MirrorLink.primaryResponse(of: Self.finished(status: 200), delivered: false) == nil, "client went away")
        var own = Self.finished(status: 502)
        own.errorCode = ProxyError(kind: .upstreamConnectFailed)
        #expect(MirrorLink.primaryResponse(of: own, delivered: true) == nil, "Tracegate's own answer is not the upstream's")
        var truncated = Self.finished(status: 200)
        truncated.responseTracker = BodyTracker(framing: .contentLength(10))
        #expect(MirrorLink.primaryResponse(of: truncated, delivered: true) == nil)
        var untilClose = Self.finished(status: 200)
        untilClose.responseFraming = .untilClose
        untilClose.responseTracker = BodyTracker(framing: .untilClose)
        #expect(MirrorLink.primaryResponse(of: untilClose, delivered: true) == .init(status: 200))

        var hashed = Self.finished(status: 200, digesting: true)
        Array("hello".utf8).withUnsafeBytes { hashed.mirror.digest.update($0) }
        var expected = BodyDigest(maxBody: 16)
        Array("hello".utf8).withUnsafeBytes { expected.update($0) }
        let response = try #require(MirrorLink.primaryResponse(of: hashed, delivered: true))
        #expect(response.body == expected.summary)
        #expect(MirrorComparison(mode: .body, primary: response, mirror: .init(status: 200, body: expected.summary)) == .bodyMatch)
    }

    @Test func shadowAndLinkStayPlainValuesInTheSlot() {
        #expect(_isPOD(MirrorLink.self))
        #expect(_isPOD(ShadowExchange.self))
        #expect(_isPOD(Connection.self))
    }
}
