// EdgeInput.swift — the request facts the edge decision reads, as views into the request head.

/// Byte views into one request head, plus trust and time. Absent headers are `nil` / empty.
///
/// The views point into the worker's receive buffer and must stay valid for the duration of
/// ``EdgeDecider/decide(_:random:)`` and for as long as the caller uses the decision's
/// ``SessionSource`` ranges. Field values may include surrounding OWS; the decision trims it.
///
/// Headers that may occur on several lines (`tracestate`, `cookie`) come as ``HeaderFields``, an
/// inline list that needs no allocation; `baggage` is not an input here because it is filtered
/// while the upstream head is written (``Baggage/filter(fields:rules:trusted:prefix:sessionID:into:)``).
public struct EdgeInput {
    /// The peer is inside the trust boundary (trusted CIDRs).
    public var trusted: Bool
    /// The `traceparent` value, `nil` when absent.
    public var traceparent: UnsafeRawBufferPointer?
    /// `true` when `traceparent` occurred on more than one line: the header is then invalid
    /// whatever its values (the W3C test suite restarts the trace) and the trace restarts.
    public var traceparentRepeated: Bool
    /// The `tracestate` lines in order.
    public var tracestate: HeaderFields
    /// The value of the first configured correlation header present.
    public var correlationID: UnsafeRawBufferPointer?
    /// The session header value.
    public var sessionFromHeader: UnsafeRawBufferPointer?
    /// The `Cookie` lines (HTTP/2 may split cookies into several, RFC 9113 §8.2.3).
    public var cookie: HeaderFields
    /// The debug header value.
    public var debug: UnsafeRawBufferPointer?
    /// Wall-clock time, nanoseconds since the Unix epoch (debug-token expiry, rate limiting).
    public var nowNanos: UInt64

    public init(
        trusted: Bool,
        nowNanos: UInt64,
        traceparent: UnsafeRawBufferPointer? = nil,
        traceparentRepeated: Bool = false,
        tracestate: HeaderFields = HeaderFields(),
        correlationID: UnsafeRawBufferPointer? = nil,
        sessionFromHeader: UnsafeRawBufferPointer? = nil,
        cookie: HeaderFields = HeaderFields(),
        debug: UnsafeRawBufferPointer? = nil
    ) {
        self.trusted = trusted
        self.nowNanos = nowNanos
        self.traceparent = traceparent
        self.traceparentRepeated = traceparentRepeated
        self.tracestate = tracestate
        self.correlationID = correlationID
        self.sessionFromHeader = sessionFromHeader
        self.cookie = cookie
        self.debug = debug
    }
}
