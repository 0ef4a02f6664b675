// ListenerPolicies.swift — per-listener trace-context policies for untrusted peers.

/// `listeners[].untrusted_traceparent` — what to do with a `traceparent` sent by an untrusted peer.
///
/// W3C Trace Context §5 (privacy and security) lets a platform restart a trace at its edge.
/// Restarting is the safe default: an outside client cannot choose our trace ids or force
/// sampling, and the caller's context is kept as a span link.
public enum UntrustedTraceparentPolicy: String, Sendable, Equatable, CaseIterable {
    /// Start a new trace; link to the caller's context. Default.
    case restart
    /// Continue the caller's trace as if it were trusted.
    case `continue`
}

/// `listeners[].traceresponse` — when to add the `traceresponse` header to responses
/// (W3C Trace Context Level 2, §traceresponse), which reveals our trace id to the client.
public enum TraceresponsePolicy: String, Sendable, Equatable, CaseIterable {
    /// Only to trusted peers. Default.
    case trusted
    /// To every peer.
    case always
    /// Never.
    case never
}
