// Backoff+RetryAfter.swift — a server's Retry-After, honoured up to a cap.

extension Backoff {
    /// The delay to use when the response carried `Retry-After` (RFC 9110 §10.2.3), or `nil` when
    /// the server asked for more than `cap` and the retry should be given up.
    ///
    /// The caller parses the header (delay-seconds or an HTTP-date, minus now) into nanoseconds.
    ///
    /// Why the server's value replaces the jittered backoff instead of adding to it: the server
    /// knows when it expects to recover; Envoy's `rate_limited_retry_back_off` likewise uses the
    /// header's value "instead of the default exponential back off". Why a value above the cap
    /// gives up rather than being clamped: retrying earlier than the server asked adds load to an
    /// upstream that has just said it is overloaded and is likely to be refused again, and a proxy
    /// must not hold a client's request for longer than the cap. (Envoy discards such a header and
    /// falls back to its own backoff; gRPC's retry policy stops retrying when the server's pushback
    /// says so. Tracegate takes the gRPC side: the server's word wins.)
    ///
    /// - Parameters:
    ///   - requested: the header's delay in nanoseconds (0 for "now" or a date in the past).
    ///   - cap: the route's `retry_after_cap` in nanoseconds.
    /// - Returns: `requested` when it is at most `cap`, else `nil`.
    public static func retryAfterDelay(_ requested: UInt64, cap: UInt64) -> UInt64? {
        requested <= cap ? requested : nil
    }
}
