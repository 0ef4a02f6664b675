// FaultPlan.swift — what one request gets: a delay, an abort, and where each came from.

/// What the data plane does to one request: hold it for `delayNanos`, then (when `abortStatus`
/// is non-zero) answer with that status instead of contacting the upstream. Plain values, so it
/// is stored in the exchange and copied into the request record; all zero is "no fault".
public struct FaultPlan: Hashable, Sendable {
    /// Bits of ``flags``.
    public enum Flag {
        public static let delay: UInt8 = 1
        public static let abort: UInt8 = 2
        /// The delay came from `x-tracegate-fault-delay-ms` (else from the route).
        public static let delayFromHeader: UInt8 = 4
        /// The abort came from `x-tracegate-fault-abort` (else from the route).
        public static let abortFromHeader: UInt8 = 8
    }

    /// How long the request is held before it goes upstream (0: not delayed).
    public var delayNanos: UInt64 = 0
    /// The status answered instead of the upstream's (0: not aborted).
    public var abortStatus: UInt16 = 0
    /// ``Flag`` bits: which faults apply and where each came from.
    public var flags: UInt8 = 0

    public init() {}

    public var delays: Bool { flags & Flag.delay != 0 }
    public var aborts: Bool { flags & Flag.abort != 0 }
    public var isEmpty: Bool { flags & (Flag.delay | Flag.abort) == 0 }

    /// `tracegate.fault` and the access log's `fault`: `delay`, `abort` or `delay+abort`; empty
    /// for no fault.
    public var label: StaticString {
        switch (delays, aborts) {
        case (true, true): "delay+abort"
        case (true, false): "delay"
        case (false, true): "abort"
        case (false, false): ""
        }
    }

    /// The delay in whole milliseconds (span attribute, access log).
    public var delayMillis: UInt64 { delayNanos / 1_000_000 }
}

/// Which fault header a request carried in a form Tracegate cannot use.
public enum FaultHeaderProblem: Hashable, Sendable {
    /// `x-tracegate-fault-delay-ms` is not 0...``FaultHeaders/maxDelayMillis`` in decimal digits.
    case delay
    /// `x-tracegate-fault-abort` is not a status in 200...599.
    case abort
}

/// The answer for one request: the plan, or the header that cannot be honoured.
public enum FaultDecision: Hashable, Sendable {
    case plan(FaultPlan)
    /// An authorised caller sent a fault header Tracegate cannot read: it is answered 400
    /// (`fault_header_invalid`) rather than run without the fault the caller asked for.
    case invalidHeader(FaultHeaderProblem)
}
