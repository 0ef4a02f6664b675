// Worker+EndpointChoice: admitting a request to its cluster and choosing each attempt's endpoint.
import TracegateResilience

extension Worker {
    /// The first attempt of an exchange: counts it in the cluster's `max_requests` and deposits
    /// its share in the retry budget. False when the threshold is full (the exchange was answered).
    func admitRequest(_ fd: Int32, cluster c: Int) -> Bool {
        let d = table[fd]
        guard c < guards.count else { return true }
        if guards[c].limits.tryAcquire(.requests) != nil {
            resilience.countOverloaded(cluster: Int(d.pointee.exchange.clusterSlot), .requests)
            fail(fd, ProxyError(kind: .upstreamOverloaded(.requests)))
            return false
        }
        d.pointee.exchange.holdsRequest = true
        d.pointee.exchange.guardEpoch = guards[c].epoch
        guards[c].budget.recordRequest(now: now)
        return true
    }

    /// Chooses the endpoint of the next attempt and stores it (pool, member, breaker permit) in
    /// the exchange. False when every endpoint's breaker refuses.
    ///
    /// The balancer's pick comes first; from there endpoints are tried in order, in three passes:
    /// endpoints not yet tried by this exchange and in selection; then tried ones too (a retry
    /// prefers a different endpoint but does not insist); then ejected ones as well (Envoy's panic
    /// mode: when ejection left nothing, spreading over everything beats failing). A breaker that
    /// refuses is skipped in every pass. A cluster without breakers or ejection whose exchange has
    /// tried nothing yet takes the balancer's pick directly, which is the common path.
    func chooseEndpoint(_ fd: Int32, cluster c: Int) -> Bool {
        let d = table[fd]
        let (pick, first) = pools.select(cluster: c, balancing: snapshot.clusters[c].balancing)
        let tried = d.pointee.exchange.triedMembers
        if c >= guards.count || (guards[c].isPlain && tried == 0) {
            useMember(d, cluster: c, member: first, pool: pick, permit: nil)
            return true
        }
        if (guards[c].detector?.ejectedCount ?? 0) > 0 {
            while let m = guards[c].detector!.returnDue(now: now) { reportReturn(cluster: c, member: m) }
        }
        let n = pools.clusterPools[c].count
        for pass in 0..<3 {
            for k in 0..<n {
                let m = (first + k) % n
                if pass == 0 && m < 64 && tried & (1 << UInt64(m)) != 0 { continue }
                if pass < 2, let detector = guards[c].detector, !detector.isAvailable(m) { continue }
                var permit: CircuitBreaker.Permit? = nil
                if !guards[c].breakers.isEmpty {
                    switch guards[c].breakers[m].admit(now: now) {
                    case .rejected:
                        continue
                    case .admitted(let p, let transition):
                        permit = p
                        if let transition { report(transition, cluster: c, member: m) }
                    }
                }
                useMember(d, cluster: c, member: m, pool: pools.clusterPools[c][m], permit: permit)
                return true
            }
        }
        return false
    }

    private func useMember(_ d: UnsafeMutablePointer<Connection>, cluster c: Int, member m: Int, pool: Int,
                           permit: CircuitBreaker.Permit?) {
        d.pointee.exchange.poolIndex = pool
        d.pointee.exchange.member = m
        d.pointee.exchange.permit = permit
        if m < 64 { d.pointee.exchange.triedMembers |= 1 << UInt64(m) }
        d.pointee.exchange.endpointSlot = Int32(truncatingIfNeeded: pools.memberSlots[c][m])
    }

    /// Feeds the end of an attempt to the endpoint's breaker and the cluster's outlier detector,
    /// and gives back the retry it held. `outcome` nil: the attempt never reached the endpoint or
    /// the client went away, so it says nothing about the endpoint (its probe is handed back).
    func recordForGuards(_ d: UnsafeMutablePointer<Connection>, outcome: TracegateResilience.AttemptOutcome?, duration: UInt64) {
        let x = d.pointee.exchange
        let c = x.clusterIndex
        guard c >= 0 && c < guards.count && guards[c].epoch == x.guardEpoch else { return }
        if x.holdsRetry {
            guards[c].limits.release(.retries)
            d.pointee.exchange.holdsRetry = false
        }
        let m = x.member
        guard m >= 0 && m < guards[c].endpoints.count else { return }
        if let permit = x.permit {
            d.pointee.exchange.permit = nil
            if let outcome {
                if let transition = guards[c].breakers[m].record(permit, outcome: outcome, duration: duration, now: now) {
                    report(transition, cluster: c, member: m)
                }
            } else {
                guards[c].breakers[m].release(permit)
            }
        }
        if let outcome, guards[c].detector != nil {
            // `record` quietly returns an endpoint whose ejection is over; report returns first,
            // so the gauge and the log never keep an endpoint ejected that is back in selection.
            while let returned = guards[c].detector!.returnDue(now: now) { reportReturn(cluster: c, member: returned) }
            if let event = guards[c].detector!.record(endpoint: m, outcome: outcome, now: now) { report(event, cluster: c) }
        }
    }

    /// Takes a retry-budget token for a transparent reconnect after a stale pooled connection;
    /// false when the budget has none (the failure then goes through the retry policy).
    func withdrawReconnectToken(_ d: UnsafeMutablePointer<Connection>) -> Bool {
        let c = d.pointee.exchange.clusterIndex
        guard c >= 0 && c < guards.count && guards[c].epoch == d.pointee.exchange.guardEpoch else { return true }
        return guards[c].budget.tryWithdraw(now: now)
    }

    /// Gives back whatever the exchange still holds of its cluster's guard. Idempotent: every way
    /// an exchange can end calls it (completion, error, the client going away, a reset stream).
    func releaseGuards(_ d: UnsafeMutablePointer<Connection>) {
        let x = d.pointee.exchange
        guard x.holdsRequest || x.holdsRetry || x.pendingPool >= 0 || x.permit != nil else { return }
        if x.pendingPool >= 0 { leavePending(d) }
        let c = x.clusterIndex
        let current = c >= 0 && c < guards.count && guards[c].epoch == x.guardEpoch
        if current {
            if x.holdsRequest { guards[c].limits.release(.requests) }
            if x.holdsRetry { guards[c].limits.release(.retries) }
            if let permit = x.permit, x.member >= 0 && x.member < guards[c].breakers.count { guards[c].breakers[x.member].release(permit) }
        }
        d.pointee.exchange.holdsRequest = false
        d.pointee.exchange.holdsRetry = false
        d.pointee.exchange.permit = nil
        if current && now >= nextGaugePublish {
            nextGaugePublish = now &+ Worker.guardTickNanos
            publishGauges(cluster: c)
        }
    }
}
