// EdgeDecider+Debug.swift — the debug-header verdict.

extension EdgeDecider {
    /// Decides whether the debug header is honoured.
    ///
    /// - A trusted peer is honoured for `1`, `true` or `on` (case-insensitive) or a valid token.
    /// - An untrusted peer is honoured only for a valid signed token (``DebugToken``); plain
    ///   enable values are rejected as ``DebugRejection/unsigned``.
    /// - Whatever would be honoured must also get a grant from the per-worker rate limiter;
    ///   without one the verdict is ``DebugVerdict/rateLimited`` and the request proceeds as an
    ///   ordinary one (no forced sampling).
    mutating func debugVerdict(_ header: UnsafeRawBufferPointer?, trusted: Bool, nowNanos: UInt64) -> DebugVerdict {
        guard let header else { return .absent }
        let value = FieldValue.trimmingOWS(header)
        let grant: DebugGrant
        if DebugToken.isEnableValue(value) {
            guard trusted else { return .rejected(.unsigned) }
            grant = .trusted
        } else {
            guard let key = policy.debugKey else { return .rejected(.noSecret) }
            switch DebugToken.verify(value, key: key, nowSeconds: nowNanos / 1_000_000_000) {
            case .valid: grant = .signed
            case .expired: return .rejected(.expired)
            case .malformed: return .rejected(.malformed)
            case .badSignature: return .rejected(.badSignature)
            }
        }
        return debugLimiter.tryAcquire(nowNanos: nowNanos) ? .honoured(grant) : .rateLimited
    }
}
