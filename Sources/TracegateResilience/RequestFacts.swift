// RequestFacts.swift — what the retry decision needs to know about the request itself.

/// The facts about a request that decide whether it may be sent again.
///
/// The data plane fills this once the head is parsed and updates `bodyReplayable` as the body
/// streams: the body stays replayable while every byte sent so far is still in the exchange's
/// replay buffer (linkerd's `ReplayBody`, Pingora's retry buffer; 64 KiB by default, see
/// ``RetryPolicy/defaultReplayBufferLimit``). Once bytes were dropped to make room, a retry would
/// send a truncated body, so the request is proxied on but not retried — and that is counted
/// (DESIGN.md principle 2), which is why ``GiveUpReason/bodyNotReplayable`` is a reason of its own.
public struct RequestFacts: Hashable, Sendable {
    /// The method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE).
    public var idempotentMethod: Bool
    /// The request carries an `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header):
    /// the client promises the server de-duplicates, so a POST or PATCH may be repeated.
    public var hasIdempotencyKey: Bool
    /// Every body byte sent upstream so far is still buffered (or there is no body).
    public var bodyReplayable: Bool

    public init(idempotentMethod: Bool, hasIdempotencyKey: Bool = false, bodyReplayable: Bool = true) {
        self.idempotentMethod = idempotentMethod
        self.hasIdempotencyKey = hasIdempotencyKey
        self.bodyReplayable = bodyReplayable
    }

    /// `true` when repeating the request cannot do the work twice: the method is idempotent or
    /// the client supplied an idempotency key.
    public var mayRepeat: Bool { idempotentMethod || hasIdempotencyKey }
}
