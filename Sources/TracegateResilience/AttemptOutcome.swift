// AttemptOutcome.swift — how one upstream attempt ended, as every policy in this module sees it.

/// How one upstream attempt ended.
///
/// One type feeds all three consumers of an attempt's end — the retry decision, the endpoint's
/// circuit breaker and the cluster's outlier detector — so the data plane classifies each
/// attempt once. Times are not part of the outcome: the breaker takes the attempt's duration
/// separately, because a slow success is still a success for retries and ejection.
public enum AttemptOutcome: Hashable, Sendable {
    /// The TCP (or TLS) connection could not be established: refused, unreachable, connect
    /// timeout. No request byte reached the upstream, which is why this is the one outcome that
    /// is safe to retry for any method (see ``RetryPolicy``).
    case connectFailure
    /// The connection was closed or reset after the request was (partly) sent and before a
    /// complete response head arrived.
    case reset
    /// The per-try timeout fired before the response head arrived.
    case timeout
    /// A response head arrived with this status code.
    case response(status: UInt16)

    /// `true` for outcomes that say the upstream failed rather than answered: local-origin
    /// failures and 5xx responses.
    ///
    /// This is the circuit breaker's notion of a failed call. 4xx responses are answers (the
    /// client's fault), so they never trip a breaker; 429 included, because load shedding is the
    /// upstream protecting itself, which is what the breaker would do anyway.
    public var isFailure: Bool {
        switch self {
        case .connectFailure, .reset, .timeout: true
        case .response(let status): status >= 500 && status <= 599
        }
    }

    /// The status code this outcome counts as for outlier detection, as Envoy maps local-origin
    /// errors when they are not split from upstream ones (`split_external_local_origin_errors:
    /// false`, its default): a connect failure is 503 and a timeout 504; a reset is treated like
    /// a connect failure. Each therefore feeds both the consecutive-5xx and the
    /// consecutive-gateway-failure counters of ``OutlierDetector``.
    public var effectiveStatus: UInt16 {
        switch self {
        case .connectFailure, .reset: 503
        case .timeout: 504
        case .response(let status): status
        }
    }
}
