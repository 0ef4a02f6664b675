// OutlierDetector.swift — Envoy-style consecutive-failure ejection over a cluster's endpoints.

/// Passive health checking for one cluster: endpoints that fail several times in a row are
/// taken out of load balancing for a while (Envoy's outlier detection, consecutive-5xx and
/// consecutive-gateway-failure detectors).
///
/// - **Counting.** Each attempt's outcome is mapped to a status as Envoy does without
///   `split_external_local_origin_errors` (``AttemptOutcome/effectiveStatus``: a connect failure
///   or reset is 503, a timeout 504). A 5xx adds to the consecutive-5xx count; a 502/503/504 also
///   adds to the gateway count, another 5xx resets it; anything else resets both.
/// - **Ejecting.** Reaching a threshold ejects the endpoint for
///   `min(base_ejection_time × timesEjected, max_ejection_time)`, where `timesEjected` grows by one
///   per ejection and shrinks by one per `decay_interval` of health after a return (Envoy's
///   ejection-time backoff), so a flapping endpoint stays out longer and a recovered one is
///   forgiven. The counters restart after every detection and every return, so a returning
///   endpoint is not ejected again by the tail of its old streak.
/// - **Caps.** An ejection happens only while at most `max_ejection_percent` of the endpoints
///   would then be ejected — current Envoy enforces the percentage strictly (envoy#27909) and
///   keeps its older "at least one host" rule behind `always_eject_one_host`, which is
///   `alwaysEjectOne` here — and never of the last endpoint in selection: Envoy can eject every
///   host and then falls back to "panic" routing to all of them; Tracegate has no panic mode, so
///   it keeps one. Refused ejections are reported as ``EjectionEvent/suppressed(endpoint:reason:)``.
/// - **Returning.** Envoy returns endpoints on an interval timer; here they return lazily when
///   their time has passed — on ``isEjected(_:now:)``, ``nextAvailable(from:now:)``,
///   ``record(endpoint:outcome:now:)`` and ``tick(now:)`` — so no timer is needed for correctness.
///
/// Endpoints are the indices `0..<endpointCount` of the cluster's endpoint list. Owned by one
/// worker; per-endpoint state is allocated once, here, and nothing allocates afterwards.
public struct OutlierDetector {
    /// The detector's settings.
    public let configuration: Configuration
    /// The endpoints currently out of selection (as of the last call that took `now`).
    public private(set) var ejected: EndpointBitSet
    /// The number of endpoints in `ejected`.
    public private(set) var ejectedCount = 0
    private var health: [EndpointHealth]
    /// The earliest `until` among ejected endpoints (`UInt64.max` when none).
    private var nextReturnAt: UInt64 = .max

    /// Creates a detector for a cluster of `endpointCount` endpoints, all in selection.
    public init(configuration: Configuration = .default, endpointCount: Int) {
        self.configuration = configuration
        self.ejected = EndpointBitSet(count: endpointCount)
        self.health = [EndpointHealth](repeating: EndpointHealth(), count: Swift.max(0, endpointCount))
    }

    /// The number of endpoints in the cluster.
    public var endpointCount: Int { health.count }

    /// Records how an attempt to `endpoint` went, and ejects it if that crossed a threshold.
    ///
    /// Outcomes for an endpoint that is currently ejected (requests that were in flight when it
    /// was ejected) are ignored.
    ///
    /// - Returns: the ejection (or suppressed ejection) this outcome caused, if any.
    public mutating func record(endpoint: Int, outcome: AttemptOutcome, now: UInt64) -> EjectionEvent? {
        guard endpoint >= 0, endpoint < health.count else { return nil }
        if isEjected(endpoint, now: now) { return nil }
        let status = outcome.effectiveStatus
        guard status >= 500, status <= 599 else {
            health[endpoint].consecutive5xx = 0
            health[endpoint].consecutiveGatewayFailures = 0
            return nil
        }
        health[endpoint].consecutive5xx += 1
        if status >= 502, status <= 504 {
            health[endpoint].consecutiveGatewayFailures += 1
        } else {
            health[endpoint].consecutiveGatewayFailures = 0
        }
        guard let reason = crossedThreshold(health[endpoint]) else { return nil }
        health[endpoint].consecutive5xx = 0
        health[endpoint].consecutiveGatewayFailures = 0
        return eject(endpoint, reason: reason, now: now)
    }

    /// `true` while `endpoint` is ejected; returns it to selection first if its time has passed.
    public mutating func isEjected(_ endpoint: Int, now: UInt64) -> Bool {
        guard ejected.contains(endpoint) else { return false }
        guard now >= health[endpoint].ejectedUntil else { return true }
        restore(endpoint)
        return false
    }

    /// Returns one endpoint whose ejection has ended to selection.
    ///
    /// - Returns: the endpoint returned, or `nil` when none is due. Loop to log each return:
    ///   `while let e = detector.returnDue(now: t) { … }`.
    public mutating func returnDue(now: UInt64) -> Int? {
        guard now >= nextReturnAt else { return nil }
        var index = ejected.firstSet(from: 0)
        while let candidate = index {
            if now >= health[candidate].ejectedUntil {
                restore(candidate)
                return candidate
            }
            index = ejected.firstSet(from: candidate + 1)
        }
        return nil
    }

    /// Returns every endpoint whose ejection has ended; cheap (one comparison) when none is due.
    ///
    /// - Returns: how many endpoints came back.
    @discardableResult
    public mutating func tick(now: UInt64) -> Int {
        var returned = 0
        while returnDue(now: now) != nil {
            returned += 1
        }
        return returned
    }

    /// The ejection multiplier `endpoint` would start from if ejected at `now` (its recent
    /// ejections less the decay earned since it returned); for `/debug/state`.
    public func timesEjected(_ endpoint: Int, now: UInt64) -> Int {
        guard endpoint >= 0, endpoint < health.count else { return 0 }
        return Int(decayedMultiplier(health[endpoint], now: now))
    }

    private func crossedThreshold(_ state: EndpointHealth) -> EjectionReason? {
        let gateway = configuration.consecutiveGatewayFailures
        if gateway > 0, state.consecutiveGatewayFailures >= gateway { return .consecutiveGatewayFailures }
        let any5xx = configuration.consecutive5xx
        if any5xx > 0, state.consecutive5xx >= any5xx { return .consecutive5xx }
        return nil
    }

    private mutating func eject(_ endpoint: Int, reason: EjectionReason, now: UInt64) -> EjectionEvent {
        guard mayEjectOneMore else { return .suppressed(endpoint: endpoint, reason: reason) }
        var multiplier = decayedMultiplier(health[endpoint], now: now)
        let base = configuration.baseEjectionTime
        let max = configuration.maxEjectionTime
        // Envoy grows the multiplier only while base × multiplier < max + base, so it stops one
        // step past the cap and decays back below it after a single healthy interval.
        let (grown, grownOverflow) = multiplier.multipliedReportingOverflow(by: base)
        if !grownOverflow, grown < max.addingSaturating(base) {
            multiplier += 1
        }
        let (product, overflow) = base.multipliedReportingOverflow(by: multiplier)
        let until = now.addingSaturating(overflow ? max : Swift.min(product, max))
        health[endpoint].multiplier = multiplier
        health[endpoint].ejectedUntil = until
        ejected.insert(endpoint)
        ejectedCount += 1
        nextReturnAt = Swift.min(nextReturnAt, until)
        return .ejected(Ejection(endpoint: endpoint, reason: reason, until: until, timesEjected: Int(multiplier)))
    }

    /// `true` when one more ejection keeps within `max_ejection_percent` (or is the one ejection
    /// `alwaysEjectOne` allows) and leaves at least one endpoint in selection.
    private var mayEjectOneMore: Bool {
        let after = ejectedCount + 1
        guard after < health.count else { return false }
        let withinPercent = after * 100 <= configuration.maxEjectionPercent * health.count
        return withinPercent || (configuration.alwaysEjectOne && ejectedCount == 0)
    }

    private func decayedMultiplier(_ state: EndpointHealth, now: UInt64) -> UInt64 {
        guard state.multiplier > 0, !state.isEjected(now: now) else { return state.multiplier }
        let healthy = now > state.ejectedUntil ? now - state.ejectedUntil : 0
        let decay = healthy / configuration.decayInterval
        return decay >= state.multiplier ? 0 : state.multiplier - decay
    }

    /// Puts `endpoint` back in selection with fresh counters. Its multiplier starts decaying from
    /// the moment its ejection ended (`ejectedUntil`), however late this is noticed.
    private mutating func restore(_ endpoint: Int) {
        ejected.remove(endpoint)
        ejectedCount -= 1
        health[endpoint].consecutive5xx = 0
        health[endpoint].consecutiveGatewayFailures = 0
        nextReturnAt = .max
        var index = ejected.firstSet(from: 0)
        while let other = index {
            nextReturnAt = Swift.min(nextReturnAt, health[other].ejectedUntil)
            index = ejected.firstSet(from: other + 1)
        }
    }
}

@available(*, unavailable, message: "worker-owned state: create one per worker from its Configuration")
extension OutlierDetector: Sendable {}

/// One endpoint's counters.
struct EndpointHealth {
    var consecutive5xx = 0
    var consecutiveGatewayFailures = 0
    /// Ejection multiplier as of the last ejection (decays lazily once the endpoint is back).
    var multiplier: UInt64 = 0
    /// End of the current or last ejection.
    var ejectedUntil: UInt64 = 0

    /// `true` while the last ejection has not ended at `now` (the bit set is the authority on
    /// whether the endpoint is out; this is only used for decay).
    func isEjected(now: UInt64) -> Bool { now < ejectedUntil }
}
