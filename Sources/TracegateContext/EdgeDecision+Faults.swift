// EdgeDecision+Faults.swift — who may ask the edge for a fault.

extension EdgeDecision {
    /// Whether this request's `x-tracegate-fault-*` headers are honoured: from a trusted peer
    /// (the listener's `trusted_cidrs`), or with a valid signed debug token that the debug rate
    /// limit admitted (``DebugVerdict/honoured(_:)`` with ``DebugGrant/signed``).
    ///
    /// Why the rate-limited token does not count: the token lets someone outside the trust
    /// boundary steer the edge, and the debug limit is what bounds how much of that one key
    /// holder can do; a fault rehearsal is no reason to lift it. Anyone else's fault headers are
    /// stripped and counted, never forwarded.
    public func authorisesFaultHeaders(trusted: Bool) -> Bool {
        trusted || debug == .honoured(.signed)
    }
}
