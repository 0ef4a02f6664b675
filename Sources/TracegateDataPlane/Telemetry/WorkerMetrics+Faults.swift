// WorkerMetrics+Faults: injected faults by route, kind and source.
import CTracegateShims

/// The `kind` label of `tracegate_faults_injected_total`.
public enum FaultKind: Int, CaseIterable, Sendable {
    case delay, abort

    public var label: String {
        switch self {
        case .delay: "delay"
        case .abort: "abort"
        }
    }
}

extension WorkerMetrics {
    /// The `source` label values, by index: the route's `fault` block, or a fault header.
    public static let faultSourceLabels = ["route", "header"]

    /// Counts one fault carried out on the route in `slot`: a delay when the hold starts, an
    /// abort when it is answered. Four words at the end of the route's block, so counting is one
    /// relaxed store like every other route figure.
    @inline(__always)
    func countFault(slot: Int, kind: FaultKind, fromHeader: Bool) {
        guard slot >= 0 && slot < capacity.routes else { return }
        Self.bump(routes + slot * Layout.routeStride + Layout.routeFaults + kind.rawValue * 2 + (fromHeader ? 1 : 0))
    }

    /// Faults of `kind` carried out on the route in `slot`, from the source at `source` in
    /// `faultSourceLabels`.
    public func routeFaults(slot: Int, kind: FaultKind, source: Int) -> UInt64 {
        guard slot >= 0 && slot < capacity.routes, source >= 0 && source < 2 else { return 0 }
        return tg_load_relaxed(routes + slot * Layout.routeStride + Layout.routeFaults + kind.rawValue * 2 + source)
    }
}
