// WorkerMetrics+Upstreams: upstream attempts by cluster and by endpoint.
import CTracegateShims

extension WorkerMetrics {
    /// Which block family a reading is for.
    public enum UpstreamScope: Sendable { case cluster, endpoint }

    /// Every outcome an attempt can end with, in block order.
    public static let attemptOutcomes: [AttemptOutcome] = [
        .response, .connectFailed, .connectTimeout, .timeout, .reset, .malformedResponse, .poolExhausted, .aborted,
    ]

    /// The `outcome` label of an attempt outcome: "response", or its span `error.type`.
    public static func outcomeLabel(_ outcome: AttemptOutcome) -> String {
        outcome == .response ? "response" : outcome.errorType
    }

    @inline(__always)
    static func outcomeIndex(_ outcome: AttemptOutcome) -> Int {
        Int(outcome.rawValue) &- 1  // `.pending` (0) is never recorded
    }

    /// Counts one finished attempt in its cluster's and its endpoint's block (-1: not counted).
    @inline(__always)
    func recordAttempt(cluster: Int, endpoint: Int, outcome: AttemptOutcome, status: UInt16, nanos: UInt64, exemplar: ExemplarSource) {
        let o = Self.outcomeIndex(outcome)
        guard o >= 0 && o < Layout.outcomes else { return }
        let failedResponse = outcome == .response && status >= 500
        if cluster >= 0 && cluster < capacity.clusters {
            Self.recordAttempt(clusters + cluster * Layout.upstreamStride, o, failedResponse, nanos, exemplar)
        }
        if endpoint >= 0 && endpoint < capacity.endpoints {
            Self.recordAttempt(endpoints + endpoint * Layout.upstreamStride, o, failedResponse, nanos, exemplar)
        }
    }

    @inline(__always)
    private static func recordAttempt(_ block: UnsafeMutablePointer<UInt64>, _ outcome: Int, _ failedResponse: Bool,
                                      _ nanos: UInt64, _ exemplar: ExemplarSource) {
        bump(block + outcome)
        if failedResponse { bump(block + Layout.upstream5xx) }
        observe(block + Layout.upstreamHistogram, nanos: nanos, exemplar: exemplar)
    }

    private func upstreamBlock(_ scope: UpstreamScope, _ slot: Int) -> UnsafeMutablePointer<UInt64>? {
        switch scope {
        case .cluster: slot >= 0 && slot < capacity.clusters ? clusters + slot * Layout.upstreamStride : nil
        case .endpoint: slot >= 0 && slot < capacity.endpoints ? endpoints + slot * Layout.upstreamStride : nil
        }
    }

    /// Attempts of a cluster or endpoint slot that ended with `outcome`.
    public func upstreamAttempts(_ scope: UpstreamScope, slot: Int, outcome: AttemptOutcome) -> UInt64 {
        let o = Self.outcomeIndex(outcome)
        guard let block = upstreamBlock(scope, slot), o >= 0 && o < Layout.outcomes else { return 0 }
        return tg_load_relaxed(block + o)
    }

    /// Attempts of a cluster or endpoint slot answered with a 5xx status.
    public func upstream5xx(_ scope: UpstreamScope, slot: Int) -> UInt64 {
        guard let block = upstreamBlock(scope, slot) else { return 0 }
        return tg_load_relaxed(block + Layout.upstream5xx)
    }

    /// The attempt duration histogram of a cluster or endpoint slot.
    public func upstreamDuration(_ scope: UpstreamScope, slot: Int) -> HistogramReading {
        guard let block = upstreamBlock(scope, slot) else { return HistogramReading() }
        return Self.readHistogram(block + Layout.upstreamHistogram)
    }
}
