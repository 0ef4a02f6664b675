// EdgePolicy.swift — the edge's trace-context policy, built once from configuration.

/// What to do with a valid `traceparent` from an untrusted peer.
public enum UntrustedTraceparentPolicy: Sendable, Hashable {
    /// Start a new trace and link the caller's context (default). W3C Trace Context,
    /// "Restart trace": a front gate restarts to deny outsiders control over trace ids and
    /// sampling; the span link keeps the client's view joinable.
    case restart
    /// Continue the caller's trace as if trusted (for edges behind another trusted hop that
    /// cannot be expressed as a CIDR, or for public tracing demos).
    case `continue`
}

/// Which traces the ratio sampler decides.
public enum SamplerMode: Sendable, Hashable {
    /// Traces the edge starts are sampled by ratio; a continued trace keeps its caller's `sampled`
    /// flag (OpenTelemetry `parentbased_traceidratio`). Default: a trace is never cut in two.
    case parentBased
    /// Every trace, continued ones included, is sampled by ratio from its trace id (OpenTelemetry
    /// `traceidratio`): for an edge whose trusted callers all send `sampled` and whose volume must
    /// still be capped. Since the decision is the trace id's, every instance (and every hop using
    /// the same ratio) agrees on it.
    case traceIDRatio
}

/// When the response carries `traceresponse` (Trace Context Level 2).
public enum TraceresponsePolicy: Sendable, Hashable {
    /// Only to trusted peers (default): untrusted clients learn nothing about internal ids.
    case trusted
    case always
    case never
}

/// Tracestate validation settings.
public struct TraceStateRules: Sendable, Hashable {
    public var maxMembers: Int
    public var keyGrammar: TraceState.KeyGrammar
    public var rejectDuplicateKeys: Bool

    public init(maxMembers: Int = TraceState.defaultMaxMembers, keyGrammar: TraceState.KeyGrammar = .level2, rejectDuplicateKeys: Bool = true) {
        self.maxMembers = maxMembers
        self.keyGrammar = keyGrammar
        self.rejectDuplicateKeys = rejectDuplicateKeys
    }
}

/// The edge policy: immutable per config snapshot, shared by the workers (it is `Sendable`).
public struct EdgePolicy: Sendable {
    /// Untrusted valid traceparent: restart (default) or continue.
    public var untrustedTraceparent: UntrustedTraceparentPolicy
    /// When to send `traceresponse`.
    public var traceresponse: TraceresponsePolicy
    /// Root sampler for traces the edge starts (and for continued ones in ``SamplerMode/traceIDRatio``).
    public var sampler: RatioSampler
    /// Whether a continued trace keeps its caller's decision.
    public var samplerMode: SamplerMode
    /// Set the Level 2 random flag on traces the edge starts (its trace ids are fully random).
    public var setRandomFlag: Bool
    /// Tracestate validation.
    public var tracestate: TraceStateRules
    /// How to generate a missing or malformed correlation id.
    public var correlationMode: CorrelationMode
    /// Longest incoming correlation id kept.
    public var correlationMaxLength: Int
    /// Session cookie name (exact, case-sensitive).
    public var sessionCookieName: [UInt8]
    /// Longest incoming session id accepted.
    public var sessionMaxLength: Int
    /// Issue a new session (and `Set-Cookie`) when the request has none.
    public var issueSession: Bool
    /// `Max-Age` of an issued session cookie.
    public var sessionCookieMaxAge: UInt64
    /// Mark the issued cookie `Secure`.
    public var sessionCookieSecure: Bool
    /// Baggage filtering.
    public var baggage: BaggageRules
    /// Key for signed debug tokens; `nil` disables tokens (only trusted `1`/`true`/`on` work).
    public var debugKey: DebugTokenKey?
    /// Debug grants per second per worker; `0` never honours debug.
    public var debugMaxPerSecond: UInt32
    /// Header-name verdicts.
    public var sanitizer: HeaderSanitizer

    public init(
        untrustedTraceparent: UntrustedTraceparentPolicy = .restart,
        traceresponse: TraceresponsePolicy = .trusted,
        sampler: RatioSampler = .alwaysOn,
        samplerMode: SamplerMode = .parentBased,
        setRandomFlag: Bool = true,
        tracestate: TraceStateRules = TraceStateRules(),
        correlationMode: CorrelationMode = .traceID,
        correlationMaxLength: Int = 128,
        sessionCookieName: [UInt8] = Array("tracegate_session".utf8),
        sessionMaxLength: Int = 128,
        issueSession: Bool = false,
        sessionCookieMaxAge: UInt64 = 30 * 24 * 3600,
        sessionCookieSecure: Bool = true,
        baggage: BaggageRules = BaggageRules(),
        debugSecret: [UInt8]? = nil,
        debugMaxPerSecond: UInt32 = 10,
        sanitizer: HeaderSanitizer = HeaderSanitizer()
    ) {
        self.untrustedTraceparent = untrustedTraceparent
        self.traceresponse = traceresponse
        self.sampler = sampler
        self.samplerMode = samplerMode
        self.setRandomFlag = setRandomFlag
        self.tracestate = tracestate
        self.correlationMode = correlationMode
        self.correlationMaxLength = correlationMaxLength
        self.sessionCookieName = sessionCookieName
        self.sessionMaxLength = sessionMaxLength
        self.issueSession = issueSession
        self.sessionCookieMaxAge = sessionCookieMaxAge
        self.sessionCookieSecure = sessionCookieSecure
        self.baggage = baggage
        self.debugKey = debugSecret.map { DebugTokenKey(secret: $0) }
        self.debugMaxPerSecond = debugMaxPerSecond
        self.sanitizer = sanitizer
    }
}
