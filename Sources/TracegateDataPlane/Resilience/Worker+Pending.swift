// Worker+Pending: requests waiting for an upstream connection instead of failing at once.
import TracegateResilience

extension Worker {
    /// The attempt's pool is at `pool.max_connections` (or its cluster at
    /// `circuit_breakers.max_connections`) with nothing idle: wait for a connection, within the
    /// cluster's `max_pending_requests`, or answer 503 with `x-tracegate-overloaded`.
    ///
    /// Why queue rather than fail: a burst that finds every connection busy is served a moment
    /// later on the same connections (nginx `keepalive` + `queue`, Envoy pending requests, nghttpx
    /// backend connection caps all do this), which keeps the upstream's connection count and its
    /// accept/handshake work bounded. The wait is bounded by the attempt timeout.
    func waitForConnection(_ fd: Int32, pool: Int) {
        let d = table[fd]
        let c = d.pointee.exchange.clusterIndex
        let slot = Int(d.pointee.exchange.clusterSlot)
        guard c >= 0 && c < guards.count && guards[c].epoch == d.pointee.exchange.guardEpoch,
              guards[c].limits.tryAcquire(.pendingRequests) == nil else {
            resilience.countOverloaded(cluster: slot, .pendingRequests)
            fail(fd, ProxyError(kind: .upstreamOverloaded(.pendingRequests)))
            return
        }
        pools.pools[pool].waiters.push(WaitQueue.Waiter(fd: fd, generation: d.pointee.generation))
        d.pointee.exchange.pendingPool = pool
        waitingExchanges += 1
        arm(fd, .pendingWait, after: attemptTimeout(d))
        publishGauges(cluster: c)
    }

    /// Takes the exchange out of its pool's queue (the entry itself is skipped when popped).
    func leavePending(_ d: UnsafeMutablePointer<Connection>) {
        guard d.pointee.exchange.pendingPool >= 0 else { return }
        d.pointee.exchange.pendingPool = -1
        waitingExchanges -= 1
        let c = d.pointee.exchange.clusterIndex
        if c >= 0 && c < guards.count && guards[c].epoch == d.pointee.exchange.guardEpoch {
            guards[c].limits.release(.pendingRequests)
        }
    }

    /// Hands free capacity to waiting exchanges, oldest first. Runs once per loop iteration while
    /// any exchange waits, after the iteration's events returned connections and closed others;
    /// never from inside another exchange's pump, so no exchange is re-entered.
    func resumeWaiters() {
        for p in pools.pools.indices where !pools.pools[p].waiters.isEmpty {
            // Only the entries present now: one that must wait again goes to the back.
            var budget = pools.pools[p].waiters.count
            while budget > 0 && poolHasCapacity(p), let waiter = pools.pools[p].waiters.pop() {
                budget -= 1
                let d = table[waiter.fd]
                guard d.pointee.kind == .downstream, d.pointee.generation == waiter.generation,
                      d.pointee.exchange.pendingPool == p else { continue }
                leavePending(d)
                disarm(waiter.fd)
                connectAttempt(waiter.fd)
            }
            if waitingExchanges == 0 { break }
        }
    }

    /// Whether an exchange of this pool could get a connection now.
    private func poolHasCapacity(_ p: Int) -> Bool {
        let pool = pools.pools[p]
        if !pool.idle.isEmpty || pool.open < pool.maxConnections { return true }
        for cfd in pool.h2Connections {
            let c = table[cfd]
            if c.pointee.kind == .upstream, c.pointee.session != nil, c.pointee.link.hasStreamCapacity { return true }
        }
        return false
    }

    /// How long the current attempt may wait for its response head: the per-try limit, cut to
    /// what is left of the overall `retry.timeout`.
    func attemptTimeout(_ d: UnsafeMutablePointer<Connection>) -> UInt64 {
        let x = d.pointee.exchange
        guard x.deadlineNanos > 0 else { return x.attemptTimeoutNanos }
        let left = x.deadlineNanos > now ? x.deadlineNanos - now : 0
        return min(x.attemptTimeoutNanos, left)
    }
}
