// MetricSlotsTests: slots stay with their names across reloads; past capacity they share _overflow.
import Testing
@testable import TracegateDataPlane

@Suite struct MetricSlotsTests {
    @Test func aNameKeepsItsSlotWhenAReloadReordersRemovesAndAddsNames() {
        let slots = MetricSlots()
        #expect(["a", "b", "c"].map(slots.routeSlot) == [0, 1, 2])
        // Reload: c first, b gone, d new. b's slot is not reused: its counters stay b's.
        #expect(["c", "d", "a"].map(slots.routeSlot) == [2, 3, 0])
        // b comes back to its old slot.
        #expect(slots.routeSlot("b") == 1)
        #expect(slots.labels().routes == ["a", "b", "c", "d"])
        #expect(slots.labels().routesOverflowed == false)
    }

    @Test func clustersAndEndpointsAreSlottedIndependently() {
        let slots = MetricSlots()
        #expect(slots.clusterSlot("payments") == 0)
        #expect(slots.clusterSlot("search") == 1)
        #expect(slots.endpointSlot(cluster: "payments", endpoint: "10.0.0.1:80") == 0)
        // The same address in another cluster is another endpoint.
        #expect(slots.endpointSlot(cluster: "search", endpoint: "10.0.0.1:80") == 1)
        #expect(slots.endpointSlot(cluster: "payments", endpoint: "10.0.0.2:80") == 2)
        #expect(slots.endpointSlot(cluster: "payments", endpoint: "10.0.0.1:80") == 0)
        let labels = slots.labels()
        #expect(labels.clusters == ["payments", "search"])
        #expect(labels.endpoints.map { "\($0.cluster)/\($0.endpoint)" } == ["payments/10.0.0.1:80", "search/10.0.0.1:80", "payments/10.0.0.2:80"])
    }

    @Test func namesPastTheCapacityShareTheOverflowSlot() {
        let slots = MetricSlots(capacity: .init(routes: 3, clusters: 2, endpoints: 2))
        #expect(["r0", "r1", "r2", "r3"].map(slots.routeSlot) == [0, 1, 2, 2])
        #expect(slots.routeSlot("r3") == 2)
        #expect(slots.routeSlot("r0") == 0)
        #expect(["c0", "c1"].map(slots.clusterSlot) == [0, 1])
        #expect(slots.endpointSlot(cluster: "c0", endpoint: "e0") == 0)
        #expect(slots.endpointSlot(cluster: "c0", endpoint: "e1") == 1)
        let labels = slots.labels()
        #expect(labels.routes == ["r0", "r1"])
        #expect(labels.routesOverflowed)
        #expect(labels.clustersOverflowed)
        #expect(labels.endpointsOverflowed)
        let capacity = slots.capacity
        #expect(labels.routeSlots(capacity: capacity).map(\.name) == ["r0", "r1", "_overflow"])
        #expect(labels.routeSlots(capacity: capacity).map(\.slot) == [0, 1, 2])
        #expect(labels.clusterSlots(capacity: capacity).map(\.name) == ["c0", "_overflow"])
        #expect(labels.endpointSlots(capacity: capacity).map { "\($0.slot):\($0.cluster)/\($0.endpoint)" } == ["0:c0/e0", "1:_overflow/_overflow"])
    }

    @Test func noOverflowSlotIsListedUntilSomethingSpills() {
        let slots = MetricSlots(capacity: .init(routes: 3, clusters: 2, endpoints: 2))
        _ = slots.routeSlot("only")
        #expect(slots.labels().routeSlots(capacity: slots.capacity).map(\.name) == ["only"])
        #expect(slots.labels().clusterSlots(capacity: slots.capacity).isEmpty)
    }
}
