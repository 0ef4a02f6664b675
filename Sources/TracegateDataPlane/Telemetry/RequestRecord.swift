// RequestRecord: one finished exchange as plain values, for the access log and request ring.
import TracegateContext
import TracegateHTTP
import TracegateResilience

/// What the control side needs to log and index a finished request. A trivial value written
/// once by the worker into its ring; no references, so it crosses threads by copy.
public struct RequestRecord: Sendable {
    public var wallStartNanos: UInt64 = 0
    public var totalNanos: UInt64 = 0
    public var traceID = TraceID(hi: 0, lo: 0)
    public var serverSpanID = SpanID(0)
    public var parentSpanID = SpanID(0)
    public var sampled = false
    public var traceOrigin: UInt8 = 0
    public var status: Int = 0
    public var attempts: Int = 0
    public var trusted = false
    public var debug = false
    /// Tracegate issued a new session cookie with this response (`session.start`).
    public var sessionStart = false
    public var routeIndex: Int = -1
    public var snapshotVersion: Int = 0
    public var listenerIndex: Int = 0
    public var peerIPv6 = false
    public var peerV4: UInt32 = 0
    public var peerV6: (UInt64, UInt64) = (0, 0)
    public var peerPort: UInt16 = 0
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    /// Tracegate's own error code when it answered itself (empty otherwise).
    public var error: StaticString = ""
    public var method = InlineBytes<16>()
    public var path = InlineBytes<256>()
    public var correlationID = InlineBytes<128>()
    public var sessionID = InlineBytes<128>()
    public var userAgent = InlineBytes<128>()
    /// The Host the client asked for (request target authority or Host field), for `server.address`.
    public var host = InlineBytes<128>()
    /// The listener's own port (`server.port` when the Host names none).
    public var listenerPort: UInt16 = 0
    /// 0 for HTTP/1.0, 1 for HTTP/1.1 (`network.protocol.version`).
    public var httpMinor: UInt8 = 1
    /// 2 when the client spoke HTTP/2 (the exchange itself ran on its HTTP/1.1 translation).
    public var httpMajor: UInt8 = 1
    /// The caller's context kept as a span link when the edge restarted an untrusted trace.
    public var hasLink = false
    public var linkTraceID = TraceID(hi: 0, lo: 0)
    public var linkSpanID = SpanID(0)
    public var linkSampled = false
    /// The upstream attempts, in order (CLIENT spans); the last one is the access log's
    /// `upstream` and `upstream_ms`.
    public var attemptLog = AttemptLog()
    /// Why the last failed attempt was not retried, as 1 + its index in
    /// `ResilienceMetrics.giveUpLabels` (0: it was retried, or nothing matched `retry_on`); a span
    /// event on the SERVER span. An index, not an optional enum, so a zero-filled record is "none".
    public var retryGiveUp: UInt8 = 0
    /// A mirrored copy's CLIENT span (`tracegate.shadow`), not a client request: the drain turns it
    /// into a span only (no access-log line, no request index entry).
    public var shadow = false
    /// Timeline: how long before the exchange's start (its head complete) the connection was
    /// accepted — on keep-alive and HTTP/2 connections, well before this request.
    public var connectionAgeNanos: UInt64 = 0
    /// Timeline: when the route was chosen, from the exchange's start (0 when no route matched,
    /// and also when it was chosen within the same event, which is the usual case).
    public var routeChosenOffsetNanos: UInt64 = 0
    /// What mirroring did with the request: 0 not selected, else 1 + the
    /// `MirrorMetrics.RequestOutcome` raw value (sent, dropped at max_in_flight, skipped for body).
    public var mirrorOutcome: UInt8 = 0
    /// The faults injected into this request on purpose (all zero: none), for `tracegate.fault`
    /// and the access log's `fault`. An abort still pending when the client left is not in it.
    public var fault = FaultPlan()

    public init() {}

    /// The ``mirrorOutcome`` encoding of a mirror request outcome.
    @inline(__always)
    public static func mirrorOutcome(_ outcome: MirrorMetrics.RequestOutcome) -> UInt8 { UInt8(truncatingIfNeeded: outcome.rawValue + 1) }

    /// The label of ``mirrorOutcome``: "none", "sent", "dropped_in_flight" or "skipped_body".
    public var mirrorOutcomeLabel: String {
        mirrorOutcome == 0 ? "none" : (MirrorMetrics.RequestOutcome(rawValue: Int(mirrorOutcome) - 1)?.label ?? "none")
    }

    /// The client's address as one value (for formatting on the control side).
    public var peer: PeerAddress {
        var p = PeerAddress()
        p.isIPv6 = peerIPv6
        p.v4 = peerV4
        p.v6 = peerV6
        p.port = peerPort
        return p
    }
}
