// FaultPlan.swift — the faults one request gets, from its route and its fault headers.

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

extension FaultInjection {
    /// Decides the faults of one request.
    ///
    /// - The route's delay and abort each fire on their own percentage (independent draws, as
    ///   Envoy's fault filter does); a draw is taken only when the percentage is neither 0 nor 100.
    /// - From an `authorised` caller (a trusted peer, or a valid signed debug token) a fault
    ///   header replaces the route's fault of its kind and always applies: `delay-ms: 0` turns a
    ///   route delay off, any valid abort status overrides the route's. An unreadable header
    ///   makes the whole answer ``FaultDecision/invalidHeader(_:)``.
    /// - From anyone else the headers are ignored here; the caller strips and counts them.
    ///
    /// - Parameters:
    ///   - route: the route's `fault` block, nil when it has none.
    ///   - delayHeader, abortHeader: the header values (nil when absent), OWS allowed.
    public static func plan<R: RandomNumberGenerator>(
        route: FaultInjection?,
        delayHeader: UnsafeRawBufferPointer?,
        abortHeader: UnsafeRawBufferPointer?,
        authorised: Bool,
        random: inout R
    ) -> FaultDecision {
        var plan = FaultPlan()
        if let delay = route?.delay, delay.percentage.roll(&random) {
            plan.delayNanos = delay.nanos
            plan.flags |= FaultPlan.Flag.delay
        }
        if let abort = route?.abort, abort.percentage.roll(&random) {
            plan.abortStatus = abort.status
            plan.flags |= FaultPlan.Flag.abort
        }
        guard authorised else { return .plan(plan) }
        if let delayHeader {
            guard let millis = FaultHeaders.delayMillis(delayHeader) else { return .invalidHeader(.delay) }
            plan.delayNanos = millis * 1_000_000
            plan.flags &= ~FaultPlan.Flag.delay
            if millis > 0 { plan.flags |= FaultPlan.Flag.delay | FaultPlan.Flag.delayFromHeader }
        }
        if let abortHeader {
            guard let status = FaultHeaders.abortStatus(abortHeader) else { return .invalidHeader(.abort) }
            plan.abortStatus = status
            plan.flags |= FaultPlan.Flag.abort | FaultPlan.Flag.abortFromHeader
        }
        return .plan(plan)
    }
}

/// The per-request fault headers: names and value grammar.
public enum FaultHeaders {
    /// Holds the request this many milliseconds (decimal digits, 0...``maxDelayMillis``).
    public static let delayName = "x-tracegate-fault-delay-ms"
    /// Answers with this status (three digits, 200...599) without contacting the upstream.
    public static let abortName = "x-tracegate-fault-abort"
    /// The longest delay a header may ask for: one minute. A rehearsal longer than that is a
    /// route setting (reviewed, reloaded), not something one request can ask for.
    public static let maxDelayMillis: UInt64 = 60_000

    /// The delay of a `x-tracegate-fault-delay-ms` value, or nil when it is not 1 to 5 decimal
    /// digits (optional surrounding whitespace) worth at most ``maxDelayMillis``.
    public static func delayMillis(_ value: UnsafeRawBufferPointer) -> UInt64? {
        guard let n = digits(value, maxCount: 5), n <= maxDelayMillis else { return nil }
        return n
    }

    /// The status of a `x-tracegate-fault-abort` value, or nil when it is not three decimal
    /// digits (optional surrounding whitespace) in 200...599.
    public static func abortStatus(_ value: UnsafeRawBufferPointer) -> UInt16? {
        guard let n = digits(value, maxCount: 3), FaultInjection.Abort.statuses.contains(Int(n)) else { return nil }
        return UInt16(n)
    }

    /// The decimal value of 1...`maxCount` digits between optional spaces and tabs.
    static func digits(_ value: UnsafeRawBufferPointer, maxCount: Int) -> UInt64? {
        var start = 0
        var end = value.count
        while start < end && (value[start] == 0x20 || value[start] == 0x09) { start += 1 }
        while end > start && (value[end - 1] == 0x20 || value[end - 1] == 0x09) { end -= 1 }
        guard end > start && end - start <= maxCount else { return nil }
        var n: UInt64 = 0
        for i in start..<end {
            let b = value[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + UInt64(b - 0x30)
        }
        return n
    }
}
