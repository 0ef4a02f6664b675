// FaultInjection+Decoding.swift — reads `routes[i].fault`.

import TracegateResilience

extension FaultInjection {
    static let keys = ["delay", "abort"]
    static let delayKeys = ["duration", "percentage"]
    static let abortKeys = ["status", "percentage"]

    /// Reads `fault:`. `duration` and `status` are required, `percentage` defaults to 100. The
    /// ranges are checked by the `FaultInjection` initialisers, whose errors name the key
    /// (`routes[0].fault.abort.status: must be in 200...599, got 700`). nil when anything is
    /// wrong (reported), including a block with neither `delay` nor `abort`.
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> FaultInjection? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        guard mapping["delay"] != nil || mapping["abort"] != nil else {
            field.report("must set delay, abort or both (omit fault to inject nothing)", &diagnostics)
            return nil
        }
        var duration: UInt64?, delayPercent: Double?, status: Int?, abortPercent: Double?
        if let delay = mapping["delay"]?.mapping(keys: delayKeys, &diagnostics) {
            duration = delay.required("duration", &diagnostics)?.nanoseconds(&diagnostics)
            delayPercent = delay["percentage"]?.number(&diagnostics)
        }
        if let abort = mapping["abort"]?.mapping(keys: abortKeys, &diagnostics) {
            status = abort.required("status", &diagnostics)?.int(&diagnostics)
            abortPercent = abort["percentage"]?.number(&diagnostics)
        }
        guard diagnostics.count == before else { return nil }
        let wantsDelay = mapping["delay"] != nil, wantsAbort = mapping["abort"] != nil
        return mapping.resilience(durations: ["delay.duration"], &diagnostics) {
            (v: ResilienceValues) throws(ResilienceConfigError) in
            // A rejected key falls back to a valid value, so the next run reaches the next bad one.
            let delay = try wantsDelay
                ? Delay(nanos: v.pick("delay.duration", duration, or: Delay.limits.lowerBound),
                        percentage: v.pick("delay.percentage", delayPercent, or: 100))
                : nil
            let abort = try wantsAbort
                ? Abort(status: v.pick("abort.status", status, or: 503),
                        percentage: v.pick("abort.percentage", abortPercent, or: 100))
                : nil
            return FaultInjection(delay: delay, abort: abort)
        }
    }
}
