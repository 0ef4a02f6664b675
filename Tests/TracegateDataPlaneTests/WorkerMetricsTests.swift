// WorkerMetricsTests: what the two request-path hooks count, and how readings add up.
import Testing
@testable import TracegateDataPlane

@Suite struct WorkerMetricsTests {
    static let small = WorkerMetrics.Capacity(routes: 4, clusters: 4, endpoints: 4)
    static let sampled = ExemplarSource(traceHi: 0xAB, traceLo: 0xCD, spanID: 0xEF, wallNanos: 1_700_000_000_123_000_000)

    @Test func requestsAreCountedByRouteMethodAndStatusClass() {
        let m = WorkerMetrics(capacity: Self.small)
        m.recordRequest(slot: 1, method: .get, status: 200, nanos: 1, exemplar: .none)
        m.recordRequest(slot: 1, method: .get, status: 204, nanos: 1, exemplar: .none)
        m.recordRequest(slot: 1, method: .post, status: 503, nanos: 1, exemplar: .none)
        m.recordRequest(slot: 1, method: .trace, status: 404, nanos: 1, exemplar: .none)  // "other"
        m.recordRequest(slot: 1, method: .head, status: 0, nanos: 1, exemplar: .none)  // aborted: 5xx
        m.recordRequest(slot: 2, method: .get, status: 101, nanos: 1, exemplar: .none)
        m.recordRequest(slot: -1, method: .get, status: 200, nanos: 1, exemplar: .none)  // no route
        m.recordRequest(slot: 99, method: .get, status: 200, nanos: 1, exemplar: .none)  // out of range
        #expect(m.routeRequests(slot: 1, method: 0, statusClass: 1) == 2)
        #expect(m.routeRequests(slot: 1, method: 2, statusClass: 4) == 1)
        #expect(m.routeRequests(slot: 1, method: 7, statusClass: 3) == 1)
        #expect(m.routeRequests(slot: 1, method: 1, statusClass: 4) == 1)
        #expect(m.routeRequests(slot: 2, method: 0, statusClass: 0) == 1)
        #expect(m.routeRequests(slot: 0, method: 0, statusClass: 1) == 0)
        #expect(m.routeDuration(slot: 1).count == 5)
        #expect(m.routeDuration(slot: 0).count == 0)
        #expect(WorkerMetrics.methodLabels[7] == "other" && WorkerMetrics.statusClassLabels[4] == "5xx")
    }

    @Test func durationsFillTheirBucketAndTheSumAndOnlySampledOnesLeaveExemplars() {
        let m = WorkerMetrics(capacity: Self.small)
        m.recordRequest(slot: 0, method: .get, status: 200, nanos: 1_000_000, exemplar: .none)  // le 0.001
        m.recordRequest(slot: 0, method: .get, status: 200, nanos: 1_000_001, exemplar: Self.sampled)  // le 0.0025
        m.recordRequest(slot: 0, method: .get, status: 200, nanos: 20_000_000_000, exemplar: .none)  // +Inf
        let h = m.routeDuration(slot: 0)
        #expect(h.buckets[0] == 1 && h.buckets[1] == 1 && h.buckets[13] == 1)
        #expect(h.count == 3)
        #expect(h.sumNanos == 1_000_000 + 1_000_001 + 20_000_000_000)
        #expect(h.exemplars[0] == nil)
        #expect(h.exemplars[1] == Exemplar(traceHi: 0xAB, traceLo: 0xCD, spanID: 0xEF, valueNanos: 1_000_001, wallNanos: 1_700_000_000_123_000_000))
        #expect(h.exemplars[13] == nil)
    }

    @Test func attemptsCountInTheirClusterAndEndpointWithFiveHundredsAsErrors() {
        let m = WorkerMetrics(capacity: Self.small)
        m.recordAttempt(cluster: 1, endpoint: 2, outcome: .response, status: 200, nanos: 2_000_000, exemplar: .none)
        m.recordAttempt(cluster: 1, endpoint: 3, outcome: .response, status: 503, nanos: 2_000_000, exemplar: Self.sampled)
        m.recordAttempt(cluster: 1, endpoint: 3, outcome: .connectTimeout, status: 0, nanos: 2_000_000, exemplar: .none)
        m.recordAttempt(cluster: 1, endpoint: -1, outcome: .reset, status: 0, nanos: 2_000_000, exemplar: .none)
        m.recordAttempt(cluster: 1, endpoint: 2, outcome: .pending, status: 0, nanos: 2_000_000, exemplar: .none)  // never counted
        #expect(m.upstreamAttempts(.cluster, slot: 1, outcome: .response) == 2)
        #expect(m.upstreamAttempts(.cluster, slot: 1, outcome: .connectTimeout) == 1)
        #expect(m.upstreamAttempts(.cluster, slot: 1, outcome: .reset) == 1)
        #expect(m.upstream5xx(.cluster, slot: 1) == 1)
        #expect(m.upstreamAttempts(.endpoint, slot: 2, outcome: .response) == 1)
        #expect(m.upstream5xx(.endpoint, slot: 2) == 0)
        #expect(m.upstreamAttempts(.endpoint, slot: 3, outcome: .response) == 1)
        #expect(m.upstream5xx(.endpoint, slot: 3) == 1)
        #expect(m.upstreamAttempts(.endpoint, slot: 3, outcome: .connectTimeout) == 1)
        #expect(m.upstreamDuration(.cluster, slot: 1).count == 4)
        #expect(m.upstreamDuration(.endpoint, slot: 3).exemplars[1]?.spanID == 0xEF)
        #expect(WorkerMetrics.attemptOutcomes.map(WorkerMetrics.outcomeLabel) == [
            "response", "connect_failed", "connect_timeout", "timeout", "reset", "malformed_response", "pool_exhausted", "aborted",
        ])
    }

    @Test func poolGaugesMoveByDeltas() {
        let m = WorkerMetrics(capacity: Self.small)
        m.adjustPool(slot: 1, open: 2)
        m.adjustPool(slot: 1, active: 2)
        m.adjustPool(slot: 1, idle: 1, active: -1)
        m.adjustPool(slot: 1, open: -1, idle: -1)
        #expect(m.pool(slot: 1) == PoolFigures(open: 1, idle: 0, active: 1))
        #expect(m.pool(slot: 0) == PoolFigures())
    }

    @Test func readingsOfTwoWorkersAddUpAndKeepTheNewestExemplar() {
        let a = WorkerMetrics(capacity: Self.small)
        let b = WorkerMetrics(capacity: Self.small)
        a.recordRequest(slot: 0, method: .get, status: 200, nanos: 3_000_000,
                        exemplar: ExemplarSource(traceHi: 1, traceLo: 1, spanID: 1, wallNanos: 200))
        b.recordRequest(slot: 0, method: .get, status: 200, nanos: 4_000_000,
                        exemplar: ExemplarSource(traceHi: 2, traceLo: 2, spanID: 2, wallNanos: 100))
        b.recordRequest(slot: 0, method: .get, status: 200, nanos: 30_000_000, exemplar: .none)
        var total = a.routeDuration(slot: 0)
        total.merge(b.routeDuration(slot: 0))
        #expect(total.buckets[2] == 2 && total.buckets[5] == 1)
        #expect(total.sumNanos == 37_000_000)
        #expect(total.exemplars[2]?.traceHi == 1, "the exemplar written last (wall clock) wins")
    }
}
