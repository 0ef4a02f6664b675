// MirrorComparison.swift — how the shadow's response compared with the primary's.

/// The result of comparing the mirror's response with the primary's, counted per route so a
/// rollout to staging can be judged by its diffs.
public enum MirrorComparison: Hashable, Sendable {
    /// Same status (the route compares statuses only).
    case statusMatch
    /// Different statuses; bodies are not compared, since a 200 and a 500 differ anyway.
    case statusMismatch(primary: UInt16, mirror: UInt16)
    /// Same status, same body length and hash.
    case bodyMatch
    /// Same status, different body.
    case bodyMismatch
    /// Nothing could be compared.
    case skipped(SkipReason)

    /// What a route compares (`compare:` in the route's mirror block).
    public enum Mode: Hashable, Sendable {
        /// Nothing; the mirror's response is drained and dropped.
        case none
        /// The status codes.
        case status
        /// The status codes, then the bodies' ``BodyDigest``s.
        case body
    }

    /// Why a comparison was skipped.
    public enum SkipReason: Hashable, Sendable {
        /// The route compares nothing.
        case disabled
        /// The primary got no upstream response (its error came from Tracegate).
        case primaryFailed
        /// The mirror got no response (connect failure, reset, timeout, or dropped at the gate).
        case mirrorFailed
        /// The primary's body was longer than `max_body`.
        case primaryBodyTooLarge
        /// The mirror's body was longer than `max_body`.
        case mirrorBodyTooLarge
    }

    /// What is compared of one response.
    public struct Response: Hashable, Sendable {
        /// The status code.
        public var status: UInt16
        /// The body's digest (ignored when only statuses are compared).
        public var body: BodyDigest.Summary

        public init(status: UInt16, body: BodyDigest.Summary = .complete(hash: BodyDigest.offsetBasis, length: 0)) {
            self.status = status
            self.body = body
        }
    }

    /// Compares the two responses as `mode` asks.
    ///
    /// - Parameters:
    ///   - mode: the route's `compare` setting.
    ///   - primary: the primary's response, or `nil` when it had none from the upstream.
    ///   - mirror: the mirror's response, or `nil` when it had none.
    public init(mode: Mode, primary: Response?, mirror: Response?) {
        guard mode != .none else {
            self = .skipped(.disabled)
            return
        }
        guard let primary else {
            self = .skipped(.primaryFailed)
            return
        }
        guard let mirror else {
            self = .skipped(.mirrorFailed)
            return
        }
        guard primary.status == mirror.status else {
            self = .statusMismatch(primary: primary.status, mirror: mirror.status)
            return
        }
        guard mode == .body else {
            self = .statusMatch
            return
        }
        switch (primary.body, mirror.body) {
        case (.tooLarge, _): self = .skipped(.primaryBodyTooLarge)
        case (_, .tooLarge): self = .skipped(.mirrorBodyTooLarge)
        case (let a, let b): self = a == b ? .bodyMatch : .bodyMismatch
        }
    }

    /// The metric label, e.g. `body_mismatch` or `skipped_mirror_failed`.
    public var label: String {
        switch self {
        case .statusMatch: "status_match"
        case .statusMismatch: "status_mismatch"
        case .bodyMatch: "body_match"
        case .bodyMismatch: "body_mismatch"
        case .skipped(.disabled): "skipped_disabled"
        case .skipped(.primaryFailed): "skipped_primary_failed"
        case .skipped(.mirrorFailed): "skipped_mirror_failed"
        case .skipped(.primaryBodyTooLarge): "skipped_primary_body_too_large"
        case .skipped(.mirrorBodyTooLarge): "skipped_mirror_body_too_large"
        }
    }
}
