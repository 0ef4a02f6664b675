// Worker+Attempts: opening and closing the record of each upstream attempt.
import CTracegateShims
import TracegateContext
import TracegateResilience

extension Worker {
    /// Opens the log entry of the attempt that `attachUpstream` is starting on `pool`.
    ///
    /// Every attempt is its own CLIENT span: a re-attempt draws a new span id and overwrites the
    /// parent-id inside the already-written `traceparent` of the upstream head (fixed width, so in
    /// place), which is what lets the upstream's spans hang under the attempt that reached it.
    func beginAttempt(_ fd: Int32, pool: Int) {
        let d = table[fd]
        if d.pointee.exchange.attempts > 1 && d.pointee.exchange.traceparentSpanOffset >= 0 {
            let span = random.nextSpanID()
            d.pointee.exchange.clientSpanID = span
            let offset = d.pointee.exchange.traceparentSpanOffset
            let head = d.pointee.upstreamHead.readable
            if offset + SpanID.hexLength <= head.count, let base = head.baseAddress {
                _ = span.writeHex(to: UnsafeMutableRawPointer(mutating: base) + offset)
            }
        }
        var attempt = AttemptRecord()
        attempt.spanID = d.pointee.exchange.clientSpanID
        attempt.endpoint = pools.pools[pool].peer
        attempt.clusterIndex = Int32(truncatingIfNeeded: d.pointee.exchange.clusterIndex)
        let cluster = d.pointee.exchange.clusterIndex
        attempt.tls = cluster >= 0 && cluster < snapshot.clusters.count && snapshot.clusters[cluster].tls != nil
        attempt.startOffsetNanos = now &- d.pointee.exchange.startNanos
        _ = d.pointee.record.attemptLog.append(attempt)
    }

    /// Marks the open attempt as sent on an HTTP/2 stream.
    func noteAttemptHTTP2(_ fd: Int32) {
        let d = table[fd]
        guard let i = d.pointee.record.attemptLog.openIndex else { return }
        d.pointee.record.attemptLog[i].http2 = true
    }

    /// Marks the open attempt's new connection as connected (TCP; TLS follows), at least 1 ns
    /// after the exchange's start so that 0 keeps meaning "no connect".
    func noteAttemptConnected(_ fd: Int32) {
        let d = table[fd]
        guard let i = d.pointee.record.attemptLog.openIndex else { return }
        d.pointee.record.attemptLog[i].connectOffsetNanos = max(1, now &- d.pointee.exchange.startNanos)
    }

    /// Marks the open attempt as sent on a pooled keep-alive connection.
    func noteAttemptReused(_ fd: Int32) {
        let d = table[fd]
        guard let i = d.pointee.record.attemptLog.openIndex else { return }
        d.pointee.record.attemptLog[i].reusedConnection = true
    }

    /// Closes the open attempt (if any) with `outcome`, taking its status and response-head time
    /// from the exchange (or `status`, for a response discarded to retry), and feeds it to the
    /// endpoint's breaker and the cluster's outlier detector.
    func endAttempt(_ fd: Int32, _ outcome: AttemptOutcome, status discarded: UInt16 = 0, feedGuards: Bool = true) {
        let d = table[fd]
        let x = d.pointee.exchange
        // `member` marks an attempt in progress; the log keeps only the first attempts.
        guard x.member >= 0 else { return }
        let open = d.pointee.record.attemptLog.openIndex
        var a = open.map { d.pointee.record.attemptLog[$0] } ?? AttemptRecord()
        a.outcome = outcome
        a.endOffsetNanos = now &- x.startNanos
        // A 101 ends the attempt's HTTP exchange before the head counts as parsed (the tunnel follows).
        if discarded > 0 {
            a.status = discarded
            a.headOffsetNanos = now &- x.startNanos
        } else if (x.responseHeadParsed || x.status == 101) && x.errorCode == nil {
            a.status = UInt16(truncatingIfNeeded: x.status)
            if x.responseHeadNanos >= x.upstreamStartNanos && x.responseHeadNanos > 0 {
                a.headOffsetNanos = x.responseHeadNanos &- x.startNanos
            }
        }
        if let i = open { d.pointee.record.attemptLog[i] = a }
        countAttemptMetrics(x, a)
        let duration = (a.headOffsetNanos > 0 ? a.headOffsetNanos : a.endOffsetNanos) &- (x.upstreamStartNanos &- x.startNanos)
        recordForGuards(d, outcome: feedGuards ? Worker.guardOutcome(outcome, status: a.status) : nil, duration: duration)
        d.pointee.exchange.member = -1
    }

    /// A response whose head closed its attempt early (`retryOnStatus` ends the attempt before it
    /// decides, and then gave up) ends with the exchange: its span covers the body too.
    func extendLastAttempt(_ fd: Int32) {
        let d = table[fd]
        let n = d.pointee.record.attemptLog.count
        guard d.pointee.exchange.member < 0, n > 0, n == d.pointee.exchange.attempts,
              d.pointee.record.attemptLog[n - 1].outcome == .response else { return }
        d.pointee.record.attemptLog[n - 1].endOffsetNanos = now &- d.pointee.exchange.startNanos
    }

    /// The policy modules' view of an attempt's end; nil when it says nothing about the endpoint.
    static func guardOutcome(_ outcome: AttemptOutcome, status: UInt16) -> TracegateResilience.AttemptOutcome? {
        switch outcome {
        case .response: .response(status: status)
        case .connectFailed, .connectTimeout: .connectFailure
        case .reset, .malformedResponse: .reset
        case .timeout: .timeout
        case .pending, .poolExhausted, .aborted: nil
        }
    }

    /// The attempt outcome an exchange failure stands for.
    static func attemptOutcome(for kind: ProxyError.Kind) -> AttemptOutcome {
        switch kind {
        case .upstreamConnectFailed: .connectFailed
        case .upstreamConnectTimeout: .connectTimeout
        case .upstreamReset, .upstreamStreamReset: .reset
        case .upstreamTimeout: .timeout
        case .upstreamMalformedResponse: .malformedResponse
        case .upstreamPoolExhausted, .upstreamPendingTimeout: .poolExhausted
        default: .aborted
        }
    }
}
