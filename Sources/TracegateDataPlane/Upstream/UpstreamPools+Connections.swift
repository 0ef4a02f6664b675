// UpstreamPools+Connections: every change of a pool's connection counts, mirrored into gauges.

extension UpstreamPools {
    /// A connection to pool `i` was opened (connecting).
    mutating func opened(_ i: Int) {
        pools[i].open += 1
        metrics.adjustPool(slot: pools[i].metricSlot, open: 1)
    }

    /// A connection of pool `i` was closed (it is no longer idle: see `removeIdle`).
    mutating func closed(_ i: Int) {
        pools[i].open -= 1
        metrics.adjustPool(slot: pools[i].metricSlot, open: -1)
    }

    /// An exchange started using a connection of pool `i`.
    mutating func leased(_ i: Int) {
        pools[i].active += 1
        metrics.adjustPool(slot: pools[i].metricSlot, active: 1)
    }

    /// An exchange stopped using a connection of pool `i`.
    mutating func released(_ i: Int) {
        pools[i].active -= 1
        metrics.adjustPool(slot: pools[i].metricSlot, active: -1)
    }

    /// Puts a connection back on pool `i`'s idle list.
    mutating func pushIdle(_ i: Int, _ fd: Int32) {
        pools[i].idle.append(fd)
        metrics.adjustPool(slot: pools[i].metricSlot, idle: 1)
    }

    /// Takes the most recently returned idle connection of pool `i`.
    mutating func popIdle(_ i: Int) -> Int32? {
        guard let fd = pools[i].idle.popLast() else { return nil }
        metrics.adjustPool(slot: pools[i].metricSlot, idle: -1)
        return fd
    }

    /// Takes `fd` off pool `i`'s idle list, if it is there.
    mutating func removeIdle(_ i: Int, _ fd: Int32) {
        if pools[i].removeIdle(fd) { metrics.adjustPool(slot: pools[i].metricSlot, idle: -1) }
    }

    /// Moves pool `i`'s connections from its gauge slot to `slot` (a reload gave its address to
    /// another cluster first).
    mutating func moveGauges(_ i: Int, to slot: Int) {
        let from = pools[i].metricSlot
        guard from != slot else { return }
        let (open, idle, active) = (pools[i].open, pools[i].idle.count, pools[i].active)
        metrics.adjustPool(slot: from, open: -open, idle: -idle, active: -active)
        metrics.adjustPool(slot: slot, open: open, idle: idle, active: active)
        pools[i].metricSlot = slot
    }
}
