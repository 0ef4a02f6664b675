// WorkerMetricsFaultTests: injected faults by route, kind and source, in the route blocks.
import Testing
@testable import TracegateDataPlane

@Suite struct WorkerMetricsFaultTests {
    @Test func faultsAreCountedByRouteKindAndSourceWithoutTouchingRequests() {
        let m = WorkerMetrics(capacity: WorkerMetrics.Capacity(routes: 4, clusters: 2, endpoints: 2))
        m.countFault(slot: 1, kind: .delay, fromHeader: false)
        m.countFault(slot: 1, kind: .delay, fromHeader: false)
        m.countFault(slot: 1, kind: .abort, fromHeader: true)
        m.countFault(slot: 3, kind: .abort, fromHeader: false)  // the last slot: the block's end
        m.countFault(slot: -1, kind: .abort, fromHeader: false)  // no route: not counted
        m.countFault(slot: 4, kind: .abort, fromHeader: false)  // out of range: not counted
        #expect(m.routeFaults(slot: 1, kind: .delay, source: 0) == 2)
        #expect(m.routeFaults(slot: 1, kind: .delay, source: 1) == 0)
        #expect(m.routeFaults(slot: 1, kind: .abort, source: 1) == 1)
        #expect(m.routeFaults(slot: 1, kind: .abort, source: 0) == 0)
        #expect(m.routeFaults(slot: 3, kind: .abort, source: 0) == 1)
        #expect(m.routeFaults(slot: 3, kind: .abort, source: 2) == 0)
        // The fault words sit after the route's histogram: no request figure moved.
        for slot in 0..<4 {
            #expect(m.routeDuration(slot: slot).count == 0)
            for method in 0..<8 {
                for statusClass in 0..<5 { #expect(m.routeRequests(slot: slot, method: method, statusClass: statusClass) == 0) }
            }
        }
        // Nor did the neighbouring route's or the first cluster's.
        #expect(m.routeFaults(slot: 2, kind: .delay, source: 0) == 0 && m.routeFaults(slot: 0, kind: .abort, source: 1) == 0)
        #expect(m.upstreamDuration(.cluster, slot: 0).count == 0)
        #expect(FaultKind.allCases.map(\.label) == ["delay", "abort"])
        #expect(WorkerMetrics.faultSourceLabels == ["route", "header"])
    }
}
