// ConnectionTable: the worker's slots, indexed by file descriptor.
import Glibc

/// A fixed array of `Connection` slots indexed by fd, allocated once per worker, followed by
/// "virtual" slots that belong to no file descriptor: one per HTTP/2 stream.
///
/// Why streams get slots of their own: an HTTP/2 stream is one exchange, and the exchange code
/// runs on a slot (`Exchange`, `RequestRecord`, buffers, timers). Giving each stream a slot past the
/// fd range lets that code run unchanged for both protocols; only the few places that touch a
/// socket ask `Connection.isStream` and hand bytes to the connection's nghttp2 session instead.
///
/// Why raw memory rather than `[Connection]`: an Array would check uniqueness and exclusivity on
/// every `table[fd].field = …`, and could be copied by accident. The table never grows (its size is
/// the process's fd limit), never moves, and is only touched by its worker's thread.
struct ConnectionTable {
    /// Every slot, fd-indexed and virtual.
    let capacity: Int
    /// Slots `0..<fdCapacity` are indexed by fd; `fdCapacity..<capacity` are virtual (streams).
    let fdCapacity: Int
    let slots: UnsafeMutablePointer<Connection>
    /// Virtual slots handed out and not yet returned, and the next never-used one.
    private var freeVirtual: [Int32] = []
    private var nextVirtual: Int32

    /// Maps zero-filled anonymous memory: pages of slots never used are never resident, so a table
    /// sized for 65,536 fds costs only what the worker touches. `Connection` is a trivial type (no
    /// references), so an all-zero slot is a valid `.free` slot.
    init(capacity fdCapacity: Int, virtualCapacity: Int = 1 << 16) {
        precondition(_isPOD(Connection.self), "Connection must stay a trivial type for zero-filled slots")
        self.fdCapacity = fdCapacity
        self.capacity = fdCapacity + virtualCapacity
        nextVirtual = Int32(fdCapacity)
        let capacity = self.capacity
        let bytes = capacity * MemoryLayout<Connection>.stride
        let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let raw, raw != MAP_FAILED else { fatalError("cannot map the connection table (\(bytes) bytes)") }
        slots = raw.bindMemory(to: Connection.self, capacity: capacity)
    }

    /// Whether `fd` is a file descriptor the table has a slot for (not a virtual slot).
    @inline(__always)
    func contains(_ fd: Int32) -> Bool { fd >= 0 && Int(fd) < fdCapacity }

    /// Hands out a free virtual slot (still `.free`; the caller resets it), or nil when all are used.
    mutating func allocateVirtual() -> Int32? {
        if let i = freeVirtual.popLast() { return i }
        guard Int(nextVirtual) < capacity else { return nil }
        defer { nextVirtual += 1 }
        return nextVirtual
    }

    /// Returns a virtual slot (already marked `.free` by the caller).
    mutating func releaseVirtual(_ i: Int32) {
        freeVirtual.append(i)
    }

    @inline(__always)
    subscript(fd: Int32) -> UnsafeMutablePointer<Connection> { slots + Int(fd) }

    /// Releases every slot's buffers and the table itself (worker exit).
    func deallocate() {
        for i in 0..<capacity {
            slots[i].inBuf.release()
            slots[i].outBuf.release()
            slots[i].upstreamHead.release()
        }
        munmap(UnsafeMutableRawPointer(slots), capacity * MemoryLayout<Connection>.stride)
    }

    /// The process's open-file limit, raised to its hard limit, capped to bound the table's memory.
    static func fileDescriptorLimit(cap: Int = 1 << 16) -> Int {
        var lim = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &lim) == 0 else { return 4096 }
        if lim.rlim_cur < lim.rlim_max {
            var raised = lim
            raised.rlim_cur = min(lim.rlim_max, rlim_t(cap))
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { lim = raised }
        }
        return min(Int(lim.rlim_cur), cap)
    }
}
