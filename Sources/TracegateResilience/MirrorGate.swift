// MirrorGate.swift — the shadow cluster's bound on mirrored requests in flight.

/// Caps the mirrored requests in flight for one route's shadow cluster on one worker.
///
/// Mirroring is fire-and-forget (Envoy's `ShadowWriter`): the primary never waits for the
/// shadow. A slow or hung shadow would therefore pile up connections and buffers without bound;
/// this gate drops the copy instead (the caller counts the drop) once `maxInFlight` are out, so a
/// broken staging cluster costs a counter, not the primary's latency (DESIGN.md principle 4).
public struct MirrorGate {
    /// The most mirrored requests in flight at once.
    public let maxInFlight: Int
    /// Mirrored requests in flight now.
    public private(set) var inFlight = 0

    /// Creates a gate for at most `maxInFlight` mirrored requests (0 ... 1 000 000; 0 drops all).
    ///
    /// - Throws: ``ResilienceConfigError`` naming `max_in_flight`.
    public init(maxInFlight: Int) throws(ResilienceConfigError) {
        try ResilienceConfigError.check(maxInFlight, in: 0...1_000_000, key: "max_in_flight")
        self.maxInFlight = maxInFlight
    }

    /// Starts one mirrored request if the gate has room.
    ///
    /// - Returns: `true` when the copy may be sent (call ``finish()`` once when it ends, however
    ///   it ends), `false` when it must be dropped.
    public mutating func tryStart() -> Bool {
        guard inFlight < maxInFlight else { return false }
        inFlight += 1
        return true
    }

    /// Ends one mirrored request started with ``tryStart()``. An unmatched call is a caller bug;
    /// the count stays at zero.
    public mutating func finish() {
        assert(inFlight > 0, "MirrorGate.finish() without a matching tryStart()")
        inFlight = Swift.max(0, inFlight - 1)
    }
}

@available(*, unavailable, message: "worker-owned state: create one per worker")
extension MirrorGate: Sendable {}
