// SpanExportPolicy: which finished requests have their spans exported, and why.
import TracegateDataPlane

/// Decides from a request record whether Tracegate's spans for it are exported.
///
/// Sampled requests always are (parent-based decision made at the edge, the same one carried in
/// `traceparent`). With `always_export_errors`, unsampled requests that failed, were retried, were
/// rejected by Tracegate's own limits, or were slow are exported too, marked with
/// `tracegate.export_reason`: the edge keeps every failing request even at a 1% sampling ratio,
/// while the services behind it keep their own decision.
struct SpanExportPolicy: Sendable {
    enum Reason: String, Sendable {
        case sampled, error, retried, rejected, slow
    }

    var alwaysExportErrors: Bool
    /// 0 = no latency rule.
    var slowNanos: UInt64

    /// Error codes that mean Tracegate itself refused the request to protect an upstream or
    /// itself (connection limits, pool limits; breakers and budgets join them).
    static let rejectionCodes: Set<String> = [
        "upstream_pool_exhausted", "too_many_connections", "draining", "upstream_overloaded", "upstream_circuit_open",
        "upstream_pending_timeout",
    ]

    func reason(for r: RequestRecord) -> Reason? {
        guard r.traceID.isValid else { return nil }
        if r.sampled { return .sampled }
        guard alwaysExportErrors else { return nil }
        if r.error.utf8CodeUnitCount > 0 && Self.rejectionCodes.contains(r.error.description) { return .rejected }
        if r.status >= 500 { return .error }
        if r.attempts > 1 { return .retried }
        if slowNanos > 0 && r.totalNanos > slowNanos { return .slow }
        return nil
    }
}
