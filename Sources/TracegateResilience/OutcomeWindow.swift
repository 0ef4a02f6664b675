// OutcomeWindow.swift — the last N calls' failed and slow flags, for the failure-rate breaker.

/// A count-based sliding window over the last `capacity` calls: for each, whether it failed and
/// whether it was slow, with running totals.
///
/// resilience4j's `COUNT_BASED` sliding window: a ring of outcomes where recording a new call
/// evicts the oldest, so the rates are over the last N calls whatever their timing. The ring is
/// allocated once, at creation (one byte per call); recording is O(1) and never allocates as
/// long as the window is mutated in place (`breakers[i].record(…)`), not copied out and back.
struct OutcomeWindow {
    private var ring: [UInt8]
    private var next = 0
    /// Calls in the window (at most the capacity).
    private(set) var count = 0
    /// Failed calls in the window.
    private(set) var failures = 0
    /// Slow calls in the window (failed or not, as resilience4j counts them).
    private(set) var slowCalls = 0

    private static let failedFlag: UInt8 = 1
    private static let slowFlag: UInt8 = 2

    /// Creates an empty window of `capacity` calls (at least 1).
    init(capacity: Int) {
        ring = [UInt8](repeating: 0, count: Swift.max(1, capacity))
    }

    /// The number of calls the window holds when full.
    var capacity: Int { ring.count }

    /// Adds one call, evicting the oldest when the window is full.
    mutating func record(failed: Bool, slow: Bool) {
        if count == ring.count {
            let evicted = ring[next]
            failures -= Int(evicted & Self.failedFlag)
            slowCalls -= Int((evicted & Self.slowFlag) >> 1)
        } else {
            count += 1
        }
        ring[next] = (failed ? Self.failedFlag : 0) | (slow ? Self.slowFlag : 0)
        failures += failed ? 1 : 0
        slowCalls += slow ? 1 : 0
        next = next + 1 == ring.count ? 0 : next + 1
    }

    /// Forgets every call (the ring's bytes are overwritten as new calls arrive).
    mutating func reset() {
        next = 0
        count = 0
        failures = 0
        slowCalls = 0
    }

    /// `true` when `part / count ≥ threshold`, compared in integers: `part · 10⁶ ≥ ppm · count`.
    func rate(_ part: Int, reaches thresholdPPM: Int) -> Bool {
        count > 0 && part * 1_000_000 >= thresholdPPM * count
    }
}
