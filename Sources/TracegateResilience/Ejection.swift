// Ejection.swift — what the outlier detector reports when an endpoint crosses a threshold.

/// What happened when an endpoint crossed an outlier threshold.
public enum EjectionEvent: Hashable, Sendable {
    /// The endpoint was taken out of selection.
    case ejected(Ejection)
    /// The endpoint crossed a threshold but stays in selection, because ejecting it would exceed
    /// `max_ejection_percent` or leave the cluster with no endpoint (Envoy counts these as
    /// `ejections_overflow`; they are worth an alert: the cluster is unhealthy beyond what
    /// ejection can hide).
    case suppressed(endpoint: Int, reason: EjectionReason)
}

/// One endpoint taken out of selection.
public struct Ejection: Hashable, Sendable {
    /// The endpoint's index in its cluster.
    public let endpoint: Int
    /// The threshold it crossed.
    public let reason: EjectionReason
    /// When it returns to selection (monotonic nanoseconds).
    public let until: UInt64
    /// The multiplier of `base_ejection_time` this ejection used: the endpoint's recent ejections,
    /// this one included, less one for every `decay_interval` it stayed healthy since its last
    /// return (Envoy's ejection-time backoff).
    public let timesEjected: Int
}

/// The threshold an endpoint crossed.
public enum EjectionReason: Hashable, Sendable {
    /// `consecutive_5xx` 5xx responses or local failures in a row.
    case consecutive5xx
    /// `consecutive_gateway_failures` 502/503/504 responses or local failures in a row.
    case consecutiveGatewayFailures

    /// The label for logs and metrics.
    public var label: String {
        switch self {
        case .consecutive5xx: "consecutive_5xx"
        case .consecutiveGatewayFailures: "consecutive_gateway_failures"
        }
    }
}
