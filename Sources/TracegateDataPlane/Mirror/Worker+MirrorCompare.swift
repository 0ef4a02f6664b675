// Worker+MirrorCompare: meeting of a primary and its shadow, the comparison, and the shadow's span.
import CTracegateShims
import TracegateContext
import TracegateResilience

extension Worker {
    /// Hook: the primary exchange on `fd` ended (cleanly or not) and its record is being
    /// published. A started shadow that is still running gets the primary's result to compare
    /// when it ends; one that already ended left its result here, and the comparison runs now.
    func mirrorPrimaryFinished(_ fd: Int32) {
        let d = table[fd]
        let link = d.pointee.exchange.mirror
        guard link.phase == .started else {
            d.pointee.exchange.mirror = MirrorLink()
            return
        }
        let delivered = d.pointee.outBuf.readableBytes == 0 && d.pointee.exchange.responseScanned == 0
        let primary = MirrorLink.primaryResponse(of: d.pointee.exchange, delivered: delivered)
        let trace = d.pointee.exchange.edge?.traceID ?? .invalid
        d.pointee.exchange.mirror = MirrorLink()
        if link.shadowDone {
            settleMirror(slot: Int(link.routeSlot), compareBody: link.digesting, traceHi: trace.hi, traceLo: trace.lo,
                         primary: primary, shadow: link.shadowResponse)
            return
        }
        let ufd = link.shadowFD
        if table.contains(ufd) {
            let u = table[ufd]
            if u.pointee.kind == .upstream && u.pointee.role == .shadow && u.pointee.shadow.serial == link.serial {
                u.pointee.shadow.primaryReported = true
                u.pointee.shadow.primary = primary
                return
            }
        }
        // The shadow ended without leaving a result: it cannot have (every end goes through
        // concludeShadow), but the counts stay whole if it ever does.
        settleMirror(slot: Int(link.routeSlot), compareBody: link.digesting, traceHi: trace.hi, traceLo: trace.lo,
                     primary: primary, shadow: nil)
    }

    /// Every shadow exchange ends here once, with or without a connection: the gate and gauge
    /// are released, the outcome counted, and the result left with a primary still running or
    /// compared with the one that finished first.
    func concludeShadow(_ s: ShadowExchange, _ outcome: AttemptOutcome, response: MirrorComparison.Response?) {
        let slot = Int(s.routeSlot)
        mirror.gates.finish(slot)
        mirror.metrics.adjustInFlight(slot: slot, by: -1)
        mirror.metrics.countResponse(outcome, slot: slot)
        let fd = s.downstreamFD
        if fd >= 0 && Int(fd) < table.capacity {
            let d = table[fd]
            if d.pointee.kind == .downstream && d.pointee.generation == s.downstreamGeneration
                && d.pointee.exchange.mirror.phase == .started && d.pointee.exchange.mirror.serial == s.serial {
                d.pointee.exchange.mirror.shadowDone = true
                d.pointee.exchange.mirror.shadowResponse = response
                return
            }
        }
        settleMirror(slot: slot, compareBody: s.compareBody, traceHi: s.traceHi, traceLo: s.traceLo,
                     primary: s.primaryReported ? s.primary : nil, shadow: response)
    }

    /// Compares the two results and counts the comparison by kind; a mismatch is remembered
    /// with its trace id for `/debug/state`.
    func settleMirror(slot: Int, compareBody: Bool, traceHi: UInt64, traceLo: UInt64,
                      primary: MirrorComparison.Response?, shadow: MirrorComparison.Response?) {
        let result = MirrorComparison(mode: compareBody ? .body : .status, primary: primary, mirror: shadow)
        let kind = result.kindIndex
        mirror.metrics.countDiff(kindIndex: kind, slot: slot)
        guard MirrorComparison.isMismatch(kindIndex: kind) else { return }
        mirror.metrics.recordMismatch(MirrorMismatch(traceHi: traceHi, traceLo: traceLo, routeSlot: slot, kindIndex: kind,
                                                     primaryStatus: primary?.status ?? 0, shadowStatus: shadow?.status ?? 0,
                                                     wallNanos: tg_realtime_ns()))
    }

    /// Publishes the shadow's CLIENT span as a record marked `shadow` on the worker's ring: the
    /// request facts come from `source`'s record (the shadow slot's copy, or the primary's own
    /// when the shadow never got a slot), the ids and timing from the shadow. The drain thread
    /// turns it into a span only; it is neither logged nor indexed as a client request.
    func publishShadowRecord(from source: UnsafeMutablePointer<Connection>, _ s: ShadowExchange, _ attempt: AttemptRecord) {
        let version = snapshot.version
        let pushed = ring.push { r in
            r = source.pointee.record
            r.shadow = true
            r.attemptLog.removeAll()
            _ = r.attemptLog.append(attempt)
            r.attempts = 1
            r.traceID = TraceID(hi: s.traceHi, lo: s.traceLo)
            r.serverSpanID = SpanID(s.serverSpanID)
            r.parentSpanID = .invalid
            r.sampled = true
            r.wallStartNanos = s.wallStartNanos
            r.totalNanos = attempt.endOffsetNanos
            r.status = Int(attempt.status)
            r.routeIndex = Int(s.routeIndex)
            r.snapshotVersion = version
            r.error = ""
            r.hasLink = false
            r.debug = false
            r.sessionStart = false
        }
        if !pushed { counters.add(.accessLogDropped) }
    }
}
