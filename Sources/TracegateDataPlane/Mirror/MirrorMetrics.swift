// MirrorMetrics: one worker's shadow-traffic counters, gauge and recent mismatches.
import CTracegateShims
import TracegateResilience

/// Per-route mirror figures of one worker, in memory the scraper reads without a lock, plus the
/// worker's most recent mismatches for `/debug/state`.
///
/// Why its own block (and not more words in `WorkerMetrics`): mirroring is per route but has
/// its own outcome sets, and keeping it apart leaves the request path of routes without a
/// mirror untouched. The rules are `WorkerMetrics`'s: only the owning worker writes (relaxed
/// stores of value + 1), the scraper sums the workers, slots are the routes' metric slots, and
/// the memory is mapped zero-filled so unused slots are never resident.
///
/// The mismatch list is a ring of `recentCapacity` cells, each published under its own sequence
/// counter (a seqlock, as `ExemplarCell`): the worker never waits, a reader skips a cell being
/// rewritten and never sees one torn between two mismatches.
public final class MirrorMetrics: @unchecked Sendable {
    /// What happened to a request selected for mirroring.
    public enum RequestOutcome: Int, CaseIterable, Sendable {
        /// A shadow exchange was started.
        case sent
        /// The route's `max_in_flight` was reached on this worker.
        case droppedInFlight
        /// The request's head and body did not fit `max_body` (or outgrew the request buffer).
        case skippedBody

        public var label: String {
            switch self {
            case .sent: "sent"
            case .droppedInFlight: "dropped_in_flight"
            case .skippedBody: "skipped_body"
            }
        }
    }

    /// How many mismatches each worker remembers.
    public static let recentCapacity = 32

    enum Layout {
        static var requests: Int { 0 }
        static var responses: Int { RequestOutcome.allCases.count }
        static var diffs: Int { responses + WorkerMetrics.attemptOutcomes.count }
        static var inFlight: Int { diffs + MirrorComparisonKinds.count }
        static var routeStride: Int { inFlight + 1 }
        /// Cell: sequence, order, trace hi, trace lo, packed (slot, kind, statuses), wall time.
        static var cellWords: Int { 6 }
    }

    public let routeCapacity: Int
    // Safety: written only by the owning worker thread; read by others with relaxed or acquire loads.
    private let routes: UnsafeMutablePointer<UInt64>
    private let cells: UnsafeMutablePointer<UInt64>
    /// Mismatches recorded so far (the next cell is `recorded % recentCapacity`); the writer's
    /// own cursor: readers order cells by the count stored in each.
    private let recorded: UnsafeMutablePointer<UInt64>
    private let memory: MappedWords

    public init(routeCapacity: Int = WorkerMetrics.Capacity.standard.routes) {
        self.routeCapacity = max(1, routeCapacity)
        let routeWords = self.routeCapacity * Layout.routeStride
        let cellWords = Self.recentCapacity * Layout.cellWords
        memory = MappedWords(count: routeWords + cellWords + 1, purpose: "mirror metrics")
        let words = memory.base
        routes = words
        cells = words + routeWords
        recorded = cells + cellWords
    }

    @inline(__always)
    private func word(_ slot: Int, _ offset: Int) -> UnsafeMutablePointer<UInt64>? {
        slot >= 0 && slot < routeCapacity ? routes + slot * Layout.routeStride + offset : nil
    }

    @inline(__always)
    private static func bump(_ p: UnsafeMutablePointer<UInt64>?, _ delta: UInt64 = 1) {
        guard let p else { return }
        tg_store_relaxed(p, p.pointee &+ delta)
    }

    // MARK: Writer (the owning worker)

    func count(_ outcome: RequestOutcome, slot: Int) {
        Self.bump(word(slot, Layout.requests + outcome.rawValue))
    }

    func countResponse(_ outcome: AttemptOutcome, slot: Int) {
        let i = WorkerMetrics.outcomeIndex(outcome)
        guard i >= 0 && i < WorkerMetrics.attemptOutcomes.count else { return }
        Self.bump(word(slot, Layout.responses + i))
    }

    func countDiff(kindIndex: Int, slot: Int) {
        guard kindIndex >= 0 && kindIndex < MirrorComparisonKinds.count else { return }
        Self.bump(word(slot, Layout.diffs + kindIndex))
    }

    /// Moves the in-flight gauge of the route in `slot` by `delta` (±1).
    func adjustInFlight(slot: Int, by delta: Int) {
        Self.bump(word(slot, Layout.inFlight), UInt64(bitPattern: Int64(delta)))
    }

    /// Remembers one mismatch, replacing the oldest of the last `recentCapacity`.
    func recordMismatch(_ m: MirrorMismatch) {
        let n = recorded.pointee
        let cell = cells + Int(n % UInt64(Self.recentCapacity)) * Layout.cellWords
        let odd = cell.pointee &+ 1
        tg_store_relaxed(cell, odd)
        tg_fence_release()
        tg_store_relaxed(cell + 1, n &+ 1)
        tg_store_relaxed(cell + 2, m.traceHi)
        tg_store_relaxed(cell + 3, m.traceLo)
        tg_store_relaxed(cell + 4, m.packed)
        tg_store_relaxed(cell + 5, m.wallNanos)
        tg_store_release(cell, odd &+ 1)
        recorded.pointee = n &+ 1
    }

    // MARK: Readers (any thread)

    public func requests(slot: Int, _ outcome: RequestOutcome) -> UInt64 {
        word(slot, Layout.requests + outcome.rawValue).map { tg_load_relaxed($0) } ?? 0
    }

    /// Shadow exchanges of the route in `slot` that ended with `outcome`.
    public func responses(slot: Int, _ outcome: AttemptOutcome) -> UInt64 {
        let i = WorkerMetrics.outcomeIndex(outcome)
        guard i >= 0 && i < WorkerMetrics.attemptOutcomes.count else { return 0 }
        return word(slot, Layout.responses + i).map { tg_load_relaxed($0) } ?? 0
    }

    /// Comparisons of the route in `slot` by `MirrorComparison.kindLabels` position.
    public func diffs(slot: Int, kindIndex: Int) -> UInt64 {
        guard kindIndex >= 0 && kindIndex < MirrorComparisonKinds.count else { return 0 }
        return word(slot, Layout.diffs + kindIndex).map { tg_load_relaxed($0) } ?? 0
    }

    /// Shadow exchanges of the route in `slot` in flight on this worker now.
    public func inFlight(slot: Int) -> Int64 {
        word(slot, Layout.inFlight).map { Int64(bitPattern: tg_load_relaxed($0)) } ?? 0
    }

    /// The mismatches this worker remembers, oldest first (a cell being rewritten is skipped).
    public func recentMismatches() -> [MirrorMismatch] {
        var out: [MirrorMismatch] = []
        for i in 0..<Self.recentCapacity {
            if let m = readCell(cells + i * Layout.cellWords) { out.append(m) }
        }
        return out.sorted { $0.order < $1.order }
    }

    /// One cell, or nil when never written or every try met a write in progress.
    private func readCell(_ cell: UnsafeMutablePointer<UInt64>, tries: Int = 8) -> MirrorMismatch? {
        for _ in 0..<tries {
            let before = tg_load_acquire(cell)
            if before == 0 { return nil }
            if before & 1 == 1 { continue }
            let m = MirrorMismatch(traceHi: tg_load_relaxed(cell + 2), traceLo: tg_load_relaxed(cell + 3),
                                   packed: tg_load_relaxed(cell + 4), wallNanos: tg_load_relaxed(cell + 5),
                                   order: tg_load_relaxed(cell + 1))
            tg_fence_acquire()
            if tg_load_relaxed(cell) == before { return m }
        }
        return nil
    }
}

/// How many comparison kinds are counted (the length of `MirrorComparison.kindLabels`).
enum MirrorComparisonKinds {
    static var count: Int { 9 }
}

/// One recorded mismatch: the trace, the route, the kind and both statuses.
public struct MirrorMismatch: Sendable, Equatable {
    public var traceHi: UInt64
    public var traceLo: UInt64
    /// Route slot (16 bits), kind index (8), primary status (16), shadow status (16).
    var packed: UInt64
    /// Wall clock (ns since the Unix epoch) when the comparison ran.
    public var wallNanos: UInt64
    /// Position in the worker's sequence of mismatches (1-based; orders one worker's list).
    public var order: UInt64

    init(traceHi: UInt64, traceLo: UInt64, packed: UInt64, wallNanos: UInt64, order: UInt64 = 0) {
        self.traceHi = traceHi
        self.traceLo = traceLo
        self.packed = packed
        self.wallNanos = wallNanos
        self.order = order
    }

    init(traceHi: UInt64, traceLo: UInt64, routeSlot: Int, kindIndex: Int, primaryStatus: UInt16, shadowStatus: UInt16, wallNanos: UInt64) {
        let packed = UInt64(UInt16(truncatingIfNeeded: routeSlot)) | UInt64(UInt8(truncatingIfNeeded: kindIndex)) << 16
            | UInt64(primaryStatus) << 24 | UInt64(shadowStatus) << 40
        self.init(traceHi: traceHi, traceLo: traceLo, packed: packed, wallNanos: wallNanos)
    }

    public var routeSlot: Int { Int(packed & 0xFFFF) }
    public var kindIndex: Int { Int((packed >> 16) & 0xFF) }
    public var primaryStatus: UInt16 { UInt16(truncatingIfNeeded: packed >> 24) }
    public var shadowStatus: UInt16 { UInt16(truncatingIfNeeded: packed >> 40) }
    /// `MirrorComparison.kindLabels[kindIndex]`.
    public var kind: String {
        kindIndex < MirrorComparison.kindLabels.count ? MirrorComparison.kindLabels[kindIndex] : "unknown"
    }
}
