// ResilienceMetrics: one worker's retry, threshold, breaker and ejection figures by metric slot.
import CTracegateShims
import TracegateResilience

/// Counters and gauges of the resilience policies of one worker, by cluster and endpoint metric
/// slot (the slots `WorkerMetrics` uses), read by the control side at scrape time.
///
/// Why a block apart from `WorkerMetrics`: these figures change on failures and state changes,
/// not on every request, and the scraper reads them with their own labels (cause, reason,
/// threshold, state). The ownership rule is the same: only the owning worker writes (relaxed
/// stores of value + 1), the scraper sums the workers' blocks. Gauges are per worker too: a
/// breaker's state gauge is 1 in the state the worker's breaker is in, so the sum over workers
/// says how many workers see an endpoint open.
public final class ResilienceMetrics: @unchecked Sendable {
    /// Why a retry was made: the failed attempt's outcome.
    public enum RetryCause: Int, CaseIterable, Sendable {
        case connectFailure, reset, timeout, status

        public var label: String {
            switch self {
            case .connectFailure: "connect_failure"
            case .reset: "reset"
            case .timeout: "per_try_timeout"
            case .status: "status"
            }
        }
    }

    /// Every reason a failed attempt was not retried: the policy's reasons (the first,
    /// "not a retriable outcome", is never counted: it is every success), then the two the data
    /// plane adds: `max_retries` (the threshold was full) and `circuit_open` (every endpoint's
    /// breaker refuses, so a retry could only end in Tracegate's own 503).
    public static let giveUpLabels: [String] = GiveUpReason.allCases.map(\.label) + ["max_retries", "circuit_open"]
    public static let maxRetriesIndex = GiveUpReason.allCases.count
    public static let circuitOpenIndex = GiveUpReason.allCases.count + 1

    /// The `giveUpLabels` position of a policy reason.
    public static func giveUpIndex(_ reason: GiveUpReason) -> Int {
        GiveUpReason.allCases.firstIndex(of: reason) ?? 0
    }

    enum Layout {
        static var retries: Int { 0 }
        static var givenUp: Int { 4 }
        static var overloaded: Int { givenUp + GiveUpReason.allCases.count + 2 }
        static var budget: Int { overloaded + 4 }
        static var pending: Int { budget + 1 }
        static var retriesActive: Int { pending + 1 }
        static var circuitRejected: Int { retriesActive + 1 }
        static var clusterStride: Int { circuitRejected + 1 }

        static var breakerState: Int { 0 }
        static var transitions: Int { 3 }
        static var ejected: Int { 6 }
        static var ejections: Int { 7 }
        static var suppressed: Int { 9 }
        static var endpointStride: Int { 10 }
    }

    public let clusterCapacity: Int
    public let endpointCapacity: Int
    // Safety: written only by the owning worker thread (relaxed stores); read by others with relaxed loads.
    private let clusters: UnsafeMutablePointer<UInt64>
    private let endpoints: UnsafeMutablePointer<UInt64>

    public init(capacity: WorkerMetrics.Capacity = .standard) {
        clusterCapacity = capacity.clusters
        endpointCapacity = capacity.endpoints
        clusters = .allocate(capacity: capacity.clusters * Layout.clusterStride)
        clusters.initialize(repeating: 0, count: capacity.clusters * Layout.clusterStride)
        endpoints = .allocate(capacity: capacity.endpoints * Layout.endpointStride)
        endpoints.initialize(repeating: 0, count: capacity.endpoints * Layout.endpointStride)
    }

    deinit {
        clusters.deallocate()
        endpoints.deallocate()
    }

    private func cluster(_ slot: Int) -> UnsafeMutablePointer<UInt64>? {
        slot >= 0 && slot < clusterCapacity ? clusters + slot * Layout.clusterStride : nil
    }

    private func endpoint(_ slot: Int) -> UnsafeMutablePointer<UInt64>? {
        slot >= 0 && slot < endpointCapacity ? endpoints + slot * Layout.endpointStride : nil
    }

    // MARK: Writing (the owning worker)

    func countRetry(cluster slot: Int, _ cause: RetryCause) {
        if let b = cluster(slot) { WorkerMetrics.bump(b + Layout.retries + cause.rawValue) }
    }

    /// Counts a retry given up, by its `giveUpLabels` position.
    func countGiveUp(cluster slot: Int, index: Int) {
        guard index >= 0 && index < Self.giveUpLabels.count, let b = cluster(slot) else { return }
        WorkerMetrics.bump(b + Layout.givenUp + index)
    }

    func countOverloaded(cluster slot: Int, _ resource: ConcurrencyResource) {
        guard let b = cluster(slot), let i = ConcurrencyResource.allCases.firstIndex(of: resource) else { return }
        WorkerMetrics.bump(b + Layout.overloaded + i)
    }

    func countCircuitRejected(cluster slot: Int) {
        if let b = cluster(slot) { WorkerMetrics.bump(b + Layout.circuitRejected) }
    }

    /// Publishes the cluster's gauges: budget tokens left, requests waiting, retries in flight.
    func setGauges(cluster slot: Int, budget: Int, pending: Int, retries: Int) {
        guard let b = cluster(slot) else { return }
        tg_store_relaxed(b + Layout.budget, UInt64(max(0, budget)))
        tg_store_relaxed(b + Layout.pending, UInt64(max(0, pending)))
        tg_store_relaxed(b + Layout.retriesActive, UInt64(max(0, retries)))
    }

    /// Sets the endpoint's state gauge to `state` (nil: the cluster has no breaker).
    func setBreakerState(endpoint slot: Int, _ state: CircuitBreaker.State?) {
        guard let b = endpoint(slot) else { return }
        for s in 0..<3 { tg_store_relaxed(b + Layout.breakerState + s, 0) }
        if let state { tg_store_relaxed(b + Layout.breakerState + Self.stateIndex(state), 1) }
    }

    func countTransition(endpoint slot: Int, to state: CircuitBreaker.State) {
        if let b = endpoint(slot) { WorkerMetrics.bump(b + Layout.transitions + Self.stateIndex(state)) }
    }

    func setEjected(endpoint slot: Int, _ ejected: Bool) {
        if let b = endpoint(slot) { tg_store_relaxed(b + Layout.ejected, ejected ? 1 : 0) }
    }

    func countEjection(endpoint slot: Int, _ reason: EjectionReason, suppressed: Bool) {
        guard let b = endpoint(slot) else { return }
        if suppressed {
            WorkerMetrics.bump(b + Layout.suppressed)
        } else {
            WorkerMetrics.bump(b + Layout.ejections + (reason == .consecutive5xx ? 0 : 1))
        }
    }

    // MARK: Reading (any thread)

    public static let breakerStates: [CircuitBreaker.State] = [.closed, .open, .halfOpen]
    public static let ejectionReasons: [EjectionReason] = [.consecutive5xx, .consecutiveGatewayFailures]

    static func stateIndex(_ state: CircuitBreaker.State) -> Int {
        switch state {
        case .closed: 0
        case .open: 1
        case .halfOpen: 2
        }
    }

    private func load(_ p: UnsafeMutablePointer<UInt64>?, _ offset: Int) -> UInt64 {
        p.map { tg_load_relaxed($0 + offset) } ?? 0
    }

    public func retries(cluster slot: Int, cause: RetryCause) -> UInt64 { load(cluster(slot), Layout.retries + cause.rawValue) }
    /// Given-up retries by `giveUpLabels` index.
    public func givenUp(cluster slot: Int, reasonIndex: Int) -> UInt64 { load(cluster(slot), Layout.givenUp + reasonIndex) }
    public func overloaded(cluster slot: Int, resource: ConcurrencyResource) -> UInt64 {
        load(cluster(slot), Layout.overloaded + (ConcurrencyResource.allCases.firstIndex(of: resource) ?? 0))
    }
    public func budgetAvailable(cluster slot: Int) -> UInt64 { load(cluster(slot), Layout.budget) }
    public func pending(cluster slot: Int) -> UInt64 { load(cluster(slot), Layout.pending) }
    public func retriesActive(cluster slot: Int) -> UInt64 { load(cluster(slot), Layout.retriesActive) }
    public func circuitRejected(cluster slot: Int) -> UInt64 { load(cluster(slot), Layout.circuitRejected) }
    public func breakerState(endpoint slot: Int, _ state: CircuitBreaker.State) -> UInt64 {
        load(endpoint(slot), Layout.breakerState + Self.stateIndex(state))
    }
    public func transitions(endpoint slot: Int, to state: CircuitBreaker.State) -> UInt64 {
        load(endpoint(slot), Layout.transitions + Self.stateIndex(state))
    }
    public func ejected(endpoint slot: Int) -> UInt64 { load(endpoint(slot), Layout.ejected) }
    public func ejections(endpoint slot: Int, reason: EjectionReason) -> UInt64 {
        load(endpoint(slot), Layout.ejections + (reason == .consecutive5xx ? 0 : 1))
    }
    public func ejectionsSuppressed(endpoint slot: Int) -> UInt64 { load(endpoint(slot), Layout.suppressed) }
}
