// FaultInjection+Plan.swift — the faults one request gets, from its route and its fault headers.

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
