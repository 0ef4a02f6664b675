// Worker+Retry: carrying out the route's retry policy after a failed attempt.
import Glibc
import TracegateHTTP
import TracegateResilience

extension Worker {
    /// An attempt ended without a response head the client may see: the connection failed or
    /// timed out, the upstream reset or sent garbage. Retries when the route's policy and the
    /// cluster's budget allow, else answers the error.
    func attemptFailed(_ fd: Int32, _ kind: ProxyError.Kind) {
        let d = table[fd]
        guard d.pointee.kind == .downstream else { return }
        if let u = attachedUpstream(d) {
            d.pointee.exchange.upstreamFD = -1
            abandonUpstream(u.pointee.fd)
        }
        endAttempt(fd, Worker.attemptOutcome(for: kind))
        if let outcome = Worker.policyOutcome(for: kind), let delay = retryDelay(fd, after: outcome, retryAfter: nil) {
            scheduleRetry(fd, after: delay, cause: Worker.retryCause(outcome))
            return
        }
        fail(fd, ProxyError(kind: kind))
    }

    /// A final response head arrived with a status the route retries (`retry_on` 502/503/504 or
    /// `retriable_status_codes`). True when the response was discarded and a retry scheduled;
    /// false when it goes to the client (not retriable, or the policy gave up).
    ///
    /// Nothing of the response has been written to the client yet, which is what makes the
    /// discard invisible; its connection is closed rather than drained, since a failing upstream's
    /// connection is the one least worth keeping.
    func retryOnStatus(_ fd: Int32, _ u: UnsafeMutablePointer<Connection>, status: Int) -> Bool {
        let d = table[fd]
        let route = d.pointee.exchange.routeIndex
        guard route >= 0 && route < snapshot.routes.count else { return false }
        let outcome = TracegateResilience.AttemptOutcome.response(status: UInt16(truncatingIfNeeded: status))
        let policy = snapshot.routes[route].retry
        guard policy.retryOn.matches(outcome, statuses: policy.retriableStatusCodes) else { return false }
        let retryAfter = retryAfterNanos(u)
        // The attempt ends here either way, and its breaker must see this answer before the
        // decision asks whether any endpoint would still take a retry.
        endAttempt(fd, .response, status: UInt16(truncatingIfNeeded: status))
        guard let delay = retryDelay(fd, after: outcome, retryAfter: retryAfter) else { return false }
        d.pointee.exchange.upstreamFD = -1
        abandonUpstream(u.pointee.fd)
        scheduleRetry(fd, after: delay, cause: .status)
        return true
    }

    /// Asks the route's policy about `outcome`. Returns the delay before the next attempt (a
    /// budget token and a `max_retries` place already taken), or nil after counting why not.
    func retryDelay(_ fd: Int32, after outcome: TracegateResilience.AttemptOutcome, retryAfter: UInt64?) -> UInt64? {
        let d = table[fd]
        let x = d.pointee.exchange
        let route = x.routeIndex
        let c = x.clusterIndex
        guard route >= 0 && route < snapshot.routes.count, c >= 0 && c < guards.count,
              guards[c].epoch == x.guardEpoch, !x.responseStarted, !x.responseHeadParsed,
              d.pointee.phase == .proxying else { return nil }
        let policy = snapshot.routes[route].retry
        guard policy.retryOn.matches(outcome, statuses: policy.retriableStatusCodes) else { return nil }
        let slot = Int(x.clusterSlot)
        if x.attempts < policy.maxAttempts {
            // Checked before the policy, which would spend a budget token on a retry that cannot be made.
            if guards[c].limits.remaining(.retries) <= 0 {
                resilience.countOverloaded(cluster: slot, .retries)
                giveUp(d, index: ResilienceMetrics.maxRetriesIndex)
                return nil
            }
            if !guards[c].breakers.isEmpty && !guards[c].breakers.contains(where: { $0.wouldAdmit(now: now) }) {
                giveUp(d, index: ResilienceMetrics.circuitOpenIndex)
                return nil
            }
        }
        let facts = RequestFacts(idempotentMethod: x.method.isIdempotent, hasIdempotencyKey: x.hasIdempotencyKey,
                                 bodyReplayable: x.replayable)
        let decision = policy.decide(after: outcome, attemptsMade: x.attempts, request: facts, requestStart: x.startNanos,
                                     now: now, retryAfter: retryAfter, budget: &guards[c].budget, random: &random)
        switch decision {
        case .giveUp(let reason):
            giveUp(d, index: ResilienceMetrics.giveUpIndex(reason))
            return nil
        case .retry(let delay):
            _ = guards[c].limits.tryAcquire(.retries)
            d.pointee.exchange.holdsRetry = true
            return delay
        }
    }

    /// Records why a retry was not made: counted, and kept for the SERVER span's event.
    private func giveUp(_ d: UnsafeMutablePointer<Connection>, index: Int) {
        resilience.countGiveUp(cluster: Int(d.pointee.exchange.clusterSlot), index: index)
        d.pointee.record.retryGiveUp = UInt8(truncatingIfNeeded: index + 1)
    }

    /// Rewinds the request so the next attempt sends it again from its first byte, and starts
    /// that attempt now or when the backoff ends.
    func scheduleRetry(_ fd: Int32, after delay: UInt64, cause: ResilienceMetrics.RetryCause) {
        let d = table[fd]
        resilience.countRetry(cluster: Int(d.pointee.exchange.clusterSlot), cause)
        d.pointee.exchange.upstreamHeadSent = 0
        d.pointee.exchange.requestSent = d.pointee.exchange.headLength
        d.pointee.exchange.responseScanned = 0
        d.pointee.record.retryGiveUp = 0
        // The wheel's tick is 10 ms: a shorter wait is not worth a trip through the loop.
        if delay < Worker.immediateRetryNanos {
            attachUpstream(fd)
            return
        }
        d.pointee.exchange.retryScheduled = true
        arm(fd, .retryBackoff, after: delay)
    }

    /// `Retry-After` of the response head just parsed, as a delay (nil: absent or unreadable).
    private func retryAfterNanos(_ u: UnsafeMutablePointer<Connection>) -> UInt64? {
        guard let i = responseHead.firstIndex(of: .retryAfter) else { return nil }
        let v = responseHead.headers[i].value
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        return RetryAfterValue.delayNanos(UnsafeRawBufferPointer(rebasing: u.pointee.inBuf.readable[v.start..<v.end]),
                                          nowUnixSeconds: Int64(wall.tv_sec))
    }

    /// The policy's view of an exchange failure; nil for failures that say nothing about the
    /// endpoint and are never retried (the client's own errors, limits, a pending-queue timeout).
    static func policyOutcome(for kind: ProxyError.Kind) -> TracegateResilience.AttemptOutcome? {
        switch kind {
        case .upstreamConnectFailed, .upstreamConnectTimeout: .connectFailure
        case .upstreamReset, .upstreamStreamReset, .upstreamMalformedResponse: .reset
        case .upstreamTimeout: .timeout
        default: nil
        }
    }

    static func retryCause(_ outcome: TracegateResilience.AttemptOutcome) -> ResilienceMetrics.RetryCause {
        switch outcome {
        case .connectFailure: .connectFailure
        case .reset: .reset
        case .timeout: .timeout
        case .response: .status
        }
    }
}
