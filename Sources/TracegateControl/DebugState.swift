// DebugState: /debug/state as JSON.
import Foundation
import TracegateDataPlane

/// What the running process is configured with and doing: config version and hash, listeners,
/// clusters and endpoints, and process-wide in-flight figures.
enum DebugState {
    static func render(state: ControlState, dataPlane: DataPlane) -> String {
        let snapshot = state.snapshot
        let object: [String: Any] = [
            "config": ["version": snapshot?.version ?? 0, "hash": snapshot?.configHash ?? ""],
            "draining": state.draining,
            "workers": dataPlane.workerCount,
            "listeners": dataPlane.boundAddresses.map { ["name": $0.name, "address": $0.address.description] },
            "routes": (snapshot?.routes ?? []).map { ["name": $0.name, "cluster": snapshot!.clusters[$0.clusterIndex].name] },
            "clusters": (snapshot?.clusters ?? []).map { ["name": $0.name, "endpoints": $0.endpoints.map(\.description)] },
            "connections_active": dataPlane.total(.connectionsActive),
            "requests_total": dataPlane.total(.requests),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
