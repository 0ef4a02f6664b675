// ConcurrencyLimit.swift — Envoy's circuit-breaking thresholds: caps on what is in flight per cluster.

/// A cluster's concurrency thresholds: open connections, requests waiting for a connection,
/// requests in flight, and retries in flight, each capped.
///
/// This is Envoy's "circuit breaking" (`circuit_breakers.thresholds`), which is not a breaker
/// with states but four counters: when one is full, the new work is refused at once with 503 and
/// `x-tracegate-overloaded: <which>` (Envoy: `x-envoy-overloaded`), instead of queueing behind an
/// upstream that is already slow. Kept apart from ``CircuitBreaker`` (per endpoint, failure
/// rate), as DESIGN-NOTES.md asks: the two answer different questions, "too much at once?" and
/// "is it broken?".
///
/// Owned by one worker; the limits are per worker, so the snapshot builder divides the cluster's
/// configured limits by the worker count (rounding up), as Envoy does not need to with its
/// process-wide counters.
public struct ConcurrencyLimit {
    /// The four caps.
    public let configuration: Configuration
    private var inUse = (connections: 0, pendingRequests: 0, requests: 0, retries: 0)

    /// Creates the counters, all at zero.
    public init(configuration: Configuration = .default) {
        self.configuration = configuration
    }

    /// Takes one unit of `resource` if it is under its cap.
    ///
    /// - Returns: `nil` when the unit was taken (call ``release(_:)`` exactly once when it is no
    ///   longer used), or the ``Overflow`` to report when the cap was reached; nothing is taken then.
    public mutating func tryAcquire(_ resource: ConcurrencyResource) -> Overflow? {
        let limit = configuration.limit(for: resource)
        let current = count(resource)
        guard current < limit else { return Overflow(resource: resource) }
        setCount(resource, current + 1)
        return nil
    }

    /// Gives back one unit of `resource` taken with ``tryAcquire(_:)``.
    ///
    /// A release without an acquire is a bug in the caller; the counter stays at zero rather
    /// than going negative and letting one more in forever.
    public mutating func release(_ resource: ConcurrencyResource) {
        let current = count(resource)
        assert(current > 0, "release(\(resource)) without a matching tryAcquire")
        setCount(resource, Swift.max(0, current - 1))
    }

    /// Units of `resource` in use (a gauge; Envoy reports `remaining_*` as limit minus this).
    public func count(_ resource: ConcurrencyResource) -> Int {
        switch resource {
        case .connections: inUse.connections
        case .pendingRequests: inUse.pendingRequests
        case .requests: inUse.requests
        case .retries: inUse.retries
        }
    }

    /// Units of `resource` that can still be taken.
    public func remaining(_ resource: ConcurrencyResource) -> Int {
        Swift.max(0, configuration.limit(for: resource) - count(resource))
    }

    private mutating func setCount(_ resource: ConcurrencyResource, _ value: Int) {
        switch resource {
        case .connections: inUse.connections = value
        case .pendingRequests: inUse.pendingRequests = value
        case .requests: inUse.requests = value
        case .retries: inUse.retries = value
        }
    }
}

@available(*, unavailable, message: "worker-owned state: create one per worker from its Configuration")
extension ConcurrencyLimit: Sendable {}

/// One of the four things a cluster caps.
public enum ConcurrencyResource: Hashable, Sendable, CaseIterable {
    /// Open upstream connections (Envoy `max_connections`).
    case connections
    /// Requests waiting for a connection to become free (Envoy `max_pending_requests`).
    case pendingRequests
    /// Requests in flight to the cluster (Envoy `max_requests`).
    case requests
    /// Retries in flight to the cluster (Envoy `max_retries`).
    case retries

    /// The config key of the cap, e.g. `max_pending_requests`: the value of
    /// `x-tracegate-overloaded` and the metric label (a literal: no allocation).
    public var label: String {
        switch self {
        case .connections: "max_connections"
        case .pendingRequests: "max_pending_requests"
        case .requests: "max_requests"
        case .retries: "max_retries"
        }
    }
}

/// A refused ``ConcurrencyLimit/tryAcquire(_:)``: which cap was full.
public struct Overflow: Hashable, Sendable {
    /// The resource whose cap was reached.
    public let resource: ConcurrencyResource

    /// The value of `x-tracegate-overloaded` and the metric label: the config key of the cap
    /// that was full (a literal: no allocation).
    public var headerValue: String { resource.label }

}
