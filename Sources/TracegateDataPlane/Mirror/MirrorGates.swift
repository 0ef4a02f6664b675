// MirrorGates: one worker's MirrorGate per mirroring route, kept across reloads.
import TracegateResilience

/// The `max_in_flight` bound of every route's shadow traffic on one worker, by the route's metric
/// slot.
///
/// Why by metric slot: a slot belongs to a route name for the life of the process, so shadow
/// exchanges started before a reload finish against the gate they started on, whatever the new
/// snapshot's route order. A reload that changes a route's bound rebuilds its gate with the
/// shadows still in flight counted in: those over the new bound are carried as `excess` and
/// retire first, so the gate admits nothing new until the count is back under the bound (and
/// `MirrorGate.finish()` is never called for a start it did not see).
struct MirrorGates {
    private var gates: [MirrorGate] = []
    private var excess: [Int] = []

    /// Sets the bound of the route in `slot` (a no-op when unchanged).
    mutating func configure(slot: Int, maxInFlight: Int) {
        guard slot >= 0 else { return }
        let bound = min(max(maxInFlight, 0), 1_000_000)
        if slot >= gates.count {
            guard let closed = try? MirrorGate(maxInFlight: 0) else { return }
            gates.append(contentsOf: repeatElement(closed, count: slot + 1 - gates.count))
            excess.append(contentsOf: repeatElement(0, count: slot + 1 - excess.count))
        }
        guard gates[slot].maxInFlight != bound, var gate = try? MirrorGate(maxInFlight: bound) else { return }
        let running = gates[slot].inFlight + excess[slot]
        var admitted = 0
        while admitted < running && gate.tryStart() { admitted += 1 }
        gates[slot] = gate
        excess[slot] = running - admitted
    }

    /// Admits one shadow exchange of the route in `slot`; false when it must be dropped.
    mutating func tryStart(_ slot: Int) -> Bool {
        guard slot >= 0 && slot < gates.count else { return false }
        return gates[slot].tryStart()
    }

    /// Ends one shadow exchange admitted by `tryStart(slot)`.
    mutating func finish(_ slot: Int) {
        guard slot >= 0 && slot < gates.count else { return }
        if excess[slot] > 0 {
            excess[slot] -= 1
        } else if gates[slot].inFlight > 0 {
            gates[slot].finish()
        }
    }

    /// Shadow exchanges of the route in `slot` in flight on this worker.
    func inFlight(_ slot: Int) -> Int {
        slot >= 0 && slot < gates.count ? gates[slot].inFlight + excess[slot] : 0
    }

    /// The bound of the route in `slot` (0 for a route never configured).
    func maxInFlight(_ slot: Int) -> Int {
        slot >= 0 && slot < gates.count ? gates[slot].maxInFlight : 0
    }
}
