// Worker+Fault: carrying out injected faults — a delay on the slot's timer, an abort through
// the one error path.
import TracegateContext
import TracegateResilience

extension Worker {
    /// Forgets the previous request's fault header views before the edge reads this one's (a
    /// request that never reaches the edge, `context.enabled: false`, must not see stale views).
    func resetFaultHeaders() {
        faultDelayHeader = nil
        faultAbortHeader = nil
        faultHeadersAuthorised = false
    }

    /// After the edge decision: whether the caller may use its fault headers. The lines are
    /// dropped from the upstream head either way (edge-owned); an unauthorised caller's are
    /// counted in `tracegate_untrusted_headers_stripped_total` under their own names.
    func noteFaultHeaders(authorised: Bool) {
        faultHeadersAuthorised = authorised
        guard !authorised else { return }
        if faultDelayHeader != nil { counters.addStripped(HeaderSanitizer.faultDelayLabel.rawValue) }
        if faultAbortHeader != nil { counters.addStripped(HeaderSanitizer.faultAbortLabel.rawValue) }
    }

    /// Decides the routed request's faults (`FaultInjection.plan`) and starts carrying them out.
    /// True when the exchange goes on to its first attempt now; false when it is held by a delay
    /// or was answered (an abort, or a fault header an authorised caller got wrong).
    ///
    /// A route without `fault:` and a request without fault headers cost one nil check and two
    /// optional tests.
    func startFaults(_ fd: Int32, route: Int) -> Bool {
        let routeFault = snapshot.routes[route].fault
        guard routeFault != nil || faultDelayHeader != nil || faultAbortHeader != nil else { return true }
        let decision = FaultInjection.plan(route: routeFault, delayHeader: faultDelayHeader, abortHeader: faultAbortHeader,
                                           authorised: faultHeadersAuthorised, random: &random)
        resetFaultHeaders()
        let d = table[fd]
        switch decision {
        case .invalidHeader(let problem):
            fail(fd, ProxyError(kind: .faultHeaderInvalid(problem)))
            return false
        case .plan(let plan):
            guard !plan.isEmpty else { return true }
            d.pointee.exchange.fault = plan
            if plan.delays {
                metrics.countFault(slot: Int(d.pointee.exchange.routeSlot), kind: .delay,
                                   fromHeader: plan.flags & FaultPlan.Flag.delayFromHeader != 0)
                d.pointee.exchange.faultHeld = true
                arm(fd, .faultDelay, after: plan.delayNanos)
                return false
            }
            abortForFault(fd)
            return false
        }
    }

    /// The fault delay is over: the request goes upstream, or gets its abort. A client that hung
    /// up meanwhile was already ended by the pump (499) and its timer went stale with the slot.
    func faultDelayEnded(_ fd: Int32) {
        let d = table[fd]
        d.pointee.exchange.faultHeld = false
        if d.pointee.exchange.fault.aborts {
            abortForFault(fd)
        } else {
            attachUpstream(fd)
        }
    }

    /// Answers the injected abort without contacting the upstream: `ErrorResponder` writes the
    /// status, `fault_abort` and `x-tracegate-fault`.
    private func abortForFault(_ fd: Int32) {
        let x = table[fd].pointee.exchange
        metrics.countFault(slot: Int(x.routeSlot), kind: .abort, fromHeader: x.fault.flags & FaultPlan.Flag.abortFromHeader != 0)
        fail(fd, ProxyError(kind: .faultAbort(status: x.fault.abortStatus)))
    }
}
