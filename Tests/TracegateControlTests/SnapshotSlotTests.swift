// SnapshotSlotTests: the snapshot builder takes stable metric slots from the registry.
import Testing
import TracegateConfig
@testable import TracegateControl
import TracegateDataPlane

@Suite struct SnapshotSlotTests {
    static func config(routes: [(String, String)], clusters: [(String, [String])]) throws -> TracegateConfiguration {
        let r = routes.map { "  - { name: \($0.0), match: { path_prefix: \"/\($0.0)/\" }, cluster: \($0.1) }" }.joined(separator: "\n")
        let c = clusters.map { "  - { name: \($0.0), endpoints: [\($0.1.map { "\"\($0)\"" }.joined(separator: ", "))] }" }
            .joined(separator: "\n")
        return try TracegateConfiguration.load(yaml: """
            listeners: [{ address: "127.0.0.1:0" }]
            routes:
            \(r)
            clusters:
            \(c)
            """)
    }

    @Test func aReloadThatReordersKeepsEverySlot() throws {
        let slots = MetricSlots()
        let first = try SnapshotBuilder.build(
            try Self.config(routes: [("a", "x"), ("b", "y")], clusters: [("x", ["127.0.0.1:9001"]), ("y", ["127.0.0.1:9002", "127.0.0.1:9003"])]),
            version: 1, workers: 1, slots: slots)
        #expect(first.routes.map(\.metricSlot) == [0, 1])
        #expect(first.clusters.map(\.metricSlot) == [0, 1])
        #expect(first.clusters.map(\.endpointSlots) == [[0], [1, 2]])
        let second = try SnapshotBuilder.build(
            try Self.config(routes: [("c", "y"), ("a", "y")], clusters: [("y", ["127.0.0.1:9003", "127.0.0.1:9004"])]),
            version: 2, workers: 1, slots: slots)
        #expect(second.routes.map(\.metricSlot) == [2, 0])
        #expect(second.clusters.map(\.metricSlot) == [1])
        #expect(second.clusters.map(\.endpointSlots) == [[2, 3]])
        #expect(slots.labels().routes == ["a", "b", "c"])
    }

    @Test func aConfigThatFailsToResolveTakesNoSlot() throws {
        let slots = MetricSlots()
        let broken = try Self.config(routes: [("a", "x")], clusters: [("x", ["no-such-host.invalid:80"])])
        #expect(throws: ConfigErrors.self) { try SnapshotBuilder.build(broken, version: 1, workers: 1, slots: slots) }
        #expect(slots.labels().routes.isEmpty)
        #expect(slots.labels().clusters.isEmpty)
    }
}
