// WaitQueue: the requests waiting for a connection to one endpoint, first come first served.

/// A FIFO of waiting exchanges (downstream slot and its generation), kept per pool.
///
/// Why not a linked list through the slots: an exchange may leave the queue early (its client
/// went away, its wait timed out), and a stale entry is cheaper to skip on the way out (the
/// generation or the exchange's `pendingPool` no longer matches) than to unlink. The array keeps
/// its capacity and is compacted once its dead head outgrows the live part.
struct WaitQueue {
    struct Waiter: Equatable {
        var fd: Int32
        var generation: UInt32
    }

    private var items: [Waiter] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    /// Entries still queued, stale ones included.
    var count: Int { items.count - head }

    mutating func push(_ waiter: Waiter) {
        items.append(waiter)
    }

    mutating func pop() -> Waiter? {
        guard head < items.count else { return nil }
        let waiter = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return waiter
    }
}
