// Worker+Guards: keeping each cluster's ClusterGuard across reloads, ticking it, publishing it.
import TracegateResilience

extension Worker {
    /// Builds the guards for `snapshot`, keeping the live state of every cluster whose endpoints
    /// and settings did not change.
    func applyGuards(_ snapshot: RuntimeSnapshot) {
        var next: [ClusterGuard] = []
        next.reserveCapacity(snapshot.clusters.count)
        for cluster in snapshot.clusters {
            if let kept = guards.first(where: { $0.fits(cluster) }) {
                next.append(kept)
            } else {
                guardEpoch &+= 1
                next.append(ClusterGuard(cluster: cluster, epoch: guardEpoch, now: now))
            }
        }
        guards = next
        for c in guards.indices {
            for m in guards[c].endpoints.indices {
                let slot = snapshot.clusters[c].endpointSlot(m)
                resilience.setBreakerState(endpoint: slot, guards[c].breakers.isEmpty ? nil : guards[c].breakers[m].state)
                resilience.setEjected(endpoint: slot, !(guards[c].detector?.isAvailable(m) ?? true))
            }
            publishGauges(cluster: c)
        }
        scheduleGuardTick()
    }

    /// Publishes a cluster's budget, pending and retry gauges.
    func publishGauges(cluster c: Int) {
        guard c >= 0 && c < guards.count && c < snapshot.clusters.count else { return }
        let balance = guards[c].budget.balance(now: now)
        resilience.setGauges(cluster: snapshot.clusters[c].metricSlot, budget: balance,
                             pending: guards[c].limits.count(.pendingRequests), retries: guards[c].limits.count(.retries))
    }

    /// Moves open breakers whose period ended to half-open and returns ejected endpoints whose
    /// time is up, so gauges, `/debug/state` and the log say so on time even without traffic.
    /// Runs from the loop every `guardTickNanos` while some breaker is not closed or some
    /// endpoint is ejected, and keeps the budget gauges fresh.
    func tickGuards() {
        nextGuardTick = 0
        for c in guards.indices {
            for m in guards[c].breakers.indices {
                if let transition = guards[c].breakers[m].tick(now: now) { report(transition, cluster: c, member: m) }
            }
            if guards[c].detector != nil {
                while let m = guards[c].detector!.returnDue(now: now) { reportReturn(cluster: c, member: m) }
            }
            publishGauges(cluster: c)
        }
        scheduleGuardTick()
    }

    /// Arms the next tick when some guard has a state that changes with time alone.
    func scheduleGuardTick() {
        let busy = guards.contains { g in
            (g.detector?.ejectedCount ?? 0) > 0 || g.breakers.contains { $0.state != .closed }
        }
        nextGuardTick = busy ? now &+ Worker.guardTickNanos : 0
    }

    /// A breaker changed state: gauge, counter, log.
    func report(_ transition: CircuitBreaker.Transition, cluster c: Int, member m: Int) {
        guard c < snapshot.clusters.count, m < guards[c].endpoints.count else { return }
        let slot = snapshot.clusters[c].endpointSlot(m)
        resilience.setBreakerState(endpoint: slot, transition.to)
        resilience.countTransition(endpoint: slot, to: transition.to)
        resilienceEvents.post(ResilienceEvent(worker: index, cluster: guards[c].name, endpoint: guards[c].endpoints[m],
                                              kind: .breaker(transition)))
        if transition.to != .closed && nextGuardTick == 0 { nextGuardTick = now &+ Worker.guardTickNanos }
    }

    /// The outlier detector ejected an endpoint (or the percentage cap kept it in).
    func report(_ event: EjectionEvent, cluster c: Int) {
        guard c < snapshot.clusters.count else { return }
        switch event {
        case .ejected(let ejection):
            let m = ejection.endpoint
            guard m < guards[c].endpoints.count else { return }
            let slot = snapshot.clusters[c].endpointSlot(m)
            resilience.setEjected(endpoint: slot, true)
            resilience.countEjection(endpoint: slot, ejection.reason, suppressed: false)
            resilienceEvents.post(ResilienceEvent(
                worker: index, cluster: guards[c].name, endpoint: guards[c].endpoints[m],
                kind: .ejected(reason: ejection.reason, forNanos: ejection.until &- now, timesEjected: ejection.timesEjected)))
            if nextGuardTick == 0 { nextGuardTick = now &+ Worker.guardTickNanos }
        case .suppressed(let m, let reason):
            guard m < guards[c].endpoints.count else { return }
            resilience.countEjection(endpoint: snapshot.clusters[c].endpointSlot(m), reason, suppressed: true)
            resilienceEvents.post(ResilienceEvent(worker: index, cluster: guards[c].name, endpoint: guards[c].endpoints[m],
                                                  kind: .ejectionSuppressed(reason: reason)))
        }
    }

    /// An ejected endpoint is back in selection.
    func reportReturn(cluster c: Int, member m: Int) {
        guard c < snapshot.clusters.count, m < guards[c].endpoints.count else { return }
        resilience.setEjected(endpoint: snapshot.clusters[c].endpointSlot(m), false)
        resilienceEvents.post(ResilienceEvent(worker: index, cluster: guards[c].name, endpoint: guards[c].endpoints[m], kind: .returned))
    }
}
