// TimerWheel: the per-worker hashed timing wheel.

/// A hashed timing wheel with lazy cancellation, owned by one worker.
///
/// Why this shape: a proxy arms several deadlines per request (header read, response, keep-alive
/// idle) and almost never lets them fire. Arming is one append into the slot for the deadline's
/// tick; nothing is ever removed on re-arm. When a slot comes round, each entry is checked against
/// the connection's *current* deadline (`isLive`), so stale entries cost one comparison. Entries
/// further out than one revolution stay in their slot and are re-checked each revolution. Slot
/// arrays keep their capacity, so a warm wheel never allocates (nginx uses a red-black tree,
/// HAProxy an ebtree; a wheel is the cheapest when cancellation dominates).
struct TimerWheel {
    /// One armed deadline: which connection (fd and slot generation) and when.
    struct Entry: Equatable {
        var fd: Int32
        var generation: UInt32
        var deadline: UInt64
    }

    let tickNanos: UInt64
    private var slots: [[Entry]]
    private var mask: Int
    /// The tick whose slot is processed next.
    private(set) var currentTick: UInt64
    private(set) var count: Int = 0
    private var scratch: [Entry] = []

    init(tickNanos: UInt64 = 10_000_000, slotCount: Int = 512, now: UInt64) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0, "slotCount must be a power of two")
        self.tickNanos = tickNanos
        self.slots = Array(repeating: [], count: slotCount)
        self.mask = slotCount - 1
        self.currentTick = now / tickNanos
    }

    /// Arms a deadline (absolute monotonic nanoseconds). Deadlines in the past fire on the next advance.
    mutating func schedule(fd: Int32, generation: UInt32, deadline: UInt64) {
        var tick = (deadline + tickNanos - 1) / tickNanos
        if tick < currentTick { tick = currentTick }
        slots[Int(tick & UInt64(mask))].append(Entry(fd: fd, generation: generation, deadline: deadline))
        count += 1
    }

    /// Advances to `now`, moving every entry whose deadline has passed into `due` (which the caller
    /// owns and clears). Firing happens after this returns, so handlers may re-arm timers without
    /// overlapping access to the wheel. Each entry must be checked by the caller against the
    /// connection's current deadline (lazy cancellation).
    mutating func collectDue(now: UInt64, into due: inout [Entry]) {
        let target = now / tickNanos
        var processed = 0
        while currentTick <= target && processed <= mask {
            let index = Int(currentTick & UInt64(mask))
            if !slots[index].isEmpty {
                swap(&scratch, &slots[index])
                for e in scratch {
                    if e.deadline <= now {
                        count -= 1
                        due.append(e)
                    } else {
                        slots[index].append(e)  // due in a later revolution
                    }
                }
                scratch.removeAll(keepingCapacity: true)
            }
            currentTick += 1
            processed += 1
        }
        if currentTick <= target { currentTick = target + 1 }  // slept past a revolution: every slot was seen
    }

    /// Milliseconds epoll may sleep before the wheel needs attention: -1 when empty.
    func pollTimeoutMillis() -> Int32 {
        count == 0 ? -1 : Int32(max(1, tickNanos / 1_000_000))
    }
}
