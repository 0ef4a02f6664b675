// EdgeDecision.swift — everything the proxy needs to apply the edge decision, as plain values.

/// Where the request's trace came from (span attribute and metric dimension).
public enum TraceOrigin: UInt8, Hashable, Sendable {
    /// The caller's valid `traceparent` was continued.
    case continued
    /// A valid `traceparent` from an untrusted peer was replaced; see ``EdgeDecision/link``.
    case restartedUntrusted
    /// `traceparent` was present but invalid (or repeated); a new trace was started.
    case restartedInvalid
    /// No `traceparent`; a new trace was started.
    case new
}

/// The caller's span context kept as a span link when the edge restarted an untrusted trace.
public struct SpanLink: Hashable, Sendable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// The caller's flags (reserved bits masked).
    public var flags: TraceFlags

    public init(traceID: TraceID, spanID: SpanID, flags: TraceFlags) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }
}

/// Where the correlation id of this request comes from.
public enum CorrelationSource: Hashable, Sendable {
    /// The incoming value is well-formed: use those bytes verbatim.
    case kept
    /// The edge generated one; `incomingRejected` is `true` when a malformed one was replaced.
    case generated(GeneratedCorrelationID, incomingRejected: Bool)
}

/// Where the session id of this request comes from.
public enum SessionSource: Hashable, Sendable {
    /// From the cookie: `range` of the `field`-th `Cookie` line of the input.
    case fromCookie(field: Int, range: Range<Int>)
    /// From the session header (its trimmed value).
    case fromHeader
    /// No valid session and the policy does not issue one.
    case none
    /// The edge issues this new id; the response carries `Set-Cookie` (``SessionCookie``).
    case issueNew(SessionID)
}

/// Who turned debug mode on.
public enum DebugGrant: Hashable, Sendable {
    /// A trusted peer sent `1`, `true` or `on` (or a token).
    case trusted
    /// A valid signed token (from any peer).
    case signed
}

/// Why a debug header was not honoured.
public enum DebugRejection: Hashable, Sendable {
    /// An untrusted peer sent a plain enable value instead of a token.
    case unsigned
    /// Not a token, nor an enable value from a trusted peer.
    case malformed
    /// A genuine token past its expiry.
    case expired
    /// A token with a wrong signature (forged, or signed with another secret).
    case badSignature
    /// A token was sent but no debug secret is configured.
    case noSecret
}

/// The verdict on the debug header.
public enum DebugVerdict: Hashable, Sendable {
    case absent
    case honoured(DebugGrant)
    case rejected(DebugRejection)
    /// Would have been honoured but the per-worker rate limit was exhausted; the request
    /// proceeds as an ordinary one.
    case rateLimited

    /// `true` when debug mode is on for this request.
    public var isHonoured: Bool {
        if case .honoured = self { return true }
        return false
    }
}

/// The edge decision for one request. Plain values, no references into the request head except
/// through the ``EdgeInput`` that produced it.
public struct EdgeDecision: Hashable, Sendable {
    /// The trace the request belongs to from here on.
    public var traceID: TraceID
    /// Tracegate's SERVER span for this request.
    public var serverSpanID: SpanID
    /// The parent of the SERVER span when the caller's trace was continued.
    public var callerParentID: SpanID?
    /// Flags for everything the edge emits: `sampled` decided here (continued → caller's flag,
    /// new root → sampler; an honoured debug request forces it on), `random` carried over when
    /// continuing (Level 2 MUST) or set on traces the edge starts.
    public var flags: TraceFlags
    /// The caller's context when an untrusted valid traceparent was restarted.
    public var link: SpanLink?
    /// How the trace came about.
    public var traceOrigin: TraceOrigin
    /// Forward the incoming `tracestate` lines verbatim. Only with a continued trace and a
    /// valid, non-empty list.
    public var keepTracestate: Bool
    /// Correlation id source.
    public var correlation: CorrelationSource
    /// Session id source.
    public var session: SessionSource
    /// Debug header verdict.
    public var debug: DebugVerdict
    /// Add `traceresponse` to the response.
    public var sendTraceresponse: Bool

    public init(
        traceID: TraceID,
        serverSpanID: SpanID,
        callerParentID: SpanID?,
        flags: TraceFlags,
        link: SpanLink?,
        traceOrigin: TraceOrigin,
        keepTracestate: Bool,
        correlation: CorrelationSource,
        session: SessionSource,
        debug: DebugVerdict,
        sendTraceresponse: Bool
    ) {
        self.traceID = traceID
        self.serverSpanID = serverSpanID
        self.callerParentID = callerParentID
        self.flags = flags
        self.link = link
        self.traceOrigin = traceOrigin
        self.keepTracestate = keepTracestate
        self.correlation = correlation
        self.session = session
        self.debug = debug
        self.sendTraceresponse = sendTraceresponse
    }

    /// `true` when this trace is sampled.
    public var isSampled: Bool { flags.contains(.sampled) }
}
