// RetryOn.swift — which attempt outcomes a route may retry.

/// The attempt outcomes a route may retry, as Envoy's `retry_on` conditions.
///
/// Status codes beyond 502/503/504 go in ``RetryPolicy/retriableStatusCodes`` (Envoy's
/// `retriable-status-codes` with `retriable_status_codes`), which is consulted whatever this set
/// holds.
public struct RetryOn: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The connection could not be made (Envoy `connect-failure`). Safe for every method.
    public static let connectFailure = RetryOn(rawValue: 1 << 0)
    /// The connection dropped before a response head (Envoy `reset`).
    public static let reset = RetryOn(rawValue: 1 << 1)
    /// The per-try timeout fired (Envoy folds this "read timeout" into its `5xx` and `reset`).
    public static let perTryTimeout = RetryOn(rawValue: 1 << 2)
    /// 502 Bad Gateway.
    public static let status502 = RetryOn(rawValue: 1 << 3)
    /// 503 Service Unavailable.
    public static let status503 = RetryOn(rawValue: 1 << 4)
    /// 504 Gateway Timeout.
    public static let status504 = RetryOn(rawValue: 1 << 5)

    /// Envoy's `gateway-error`: 502, 503, 504.
    public static let gatewayError: RetryOn = [.status502, .status503, .status504]
    /// The default: failures where the upstream most likely did no work — a failed connect, a
    /// dropped connection (Envoy's `connect-failure,reset`), and 502/503, with which a gateway in
    /// front of the upstream or the upstream itself says it could not or would not serve. 504
    /// and per-try timeouts are left out: the upstream may still be working on the first attempt,
    /// and a retry would double its load exactly when it is slow.
    public static let `default`: RetryOn = [.connectFailure, .reset, .status502, .status503]

    /// `true` when `outcome` is one of this set's conditions, or a response whose status is in
    /// `statuses`.
    public func matches(_ outcome: AttemptOutcome, statuses: StatusCodeSet) -> Bool {
        switch outcome {
        case .connectFailure: contains(.connectFailure)
        case .reset: contains(.reset)
        case .timeout: contains(.perTryTimeout)
        case .response(let status):
            switch status {
            case 502: contains(.status502) || statuses.contains(status)
            case 503: contains(.status503) || statuses.contains(status)
            case 504: contains(.status504) || statuses.contains(status)
            default: statuses.contains(status)
            }
        }
    }
}
