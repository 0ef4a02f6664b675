// WorkerCounters: plain per-worker counters read by the control side at scrape time.
import CTracegateShims

/// The counters one worker bumps on the request path, in memory the control side reads.
///
/// Why not swift-metrics counters on the hot path: those are shared objects with atomics or locks.
/// Here each worker owns a block of `UInt64`s that only it writes (relaxed store of value + 1 — a
/// plain `mov`), and the control side sums the blocks of all workers when `/metrics` is scraped.
public final class WorkerCounters: @unchecked Sendable {
    /// Every counter and gauge, by index into the block.
    public enum Name: Int, CaseIterable, Sendable {
        case connectionsAccepted, connectionsActive, connectionsRejected
        case requests, responses1xx, responses2xx, responses3xx, responses4xx, responses5xx
        case upstreamConnects, upstreamConnectFailures, upstreamConnectTimeouts, upstreamTimeouts, upstreamResets
        case upstreamReused, upstreamRetriesStale
        case downstreamAborted, bytesIn, bytesOut
        case tracesContinued, tracesRestartedUntrusted, tracesStarted
        case debugHonoured, debugRejected, debugRateLimited, baggageMembersDropped
        case accessLogDropped
        case h2Connections, h2Streams, h2StreamsRefused, h2Floods, h2ProtocolErrors
        case tlsHandshakes, tlsResumptions, tlsHandshakeFailures, tlsErrors
    }

    /// How many distinct strip labels (built-in names, configured names and prefixes) are counted.
    public static let stripLabelCapacity = 128

    // Safety: written only by the owning worker thread (relaxed stores); read by others with relaxed loads.
    private let block: UnsafeMutablePointer<UInt64>
    private let stripped: UnsafeMutablePointer<UInt64>
    /// Tracegate's own error responses, by `ErrorCodes.all` index.
    private let errors: UnsafeMutablePointer<UInt64>

    public init() {
        block = .allocate(capacity: Name.allCases.count)
        block.initialize(repeating: 0, count: Name.allCases.count)
        stripped = .allocate(capacity: Self.stripLabelCapacity)
        stripped.initialize(repeating: 0, count: Self.stripLabelCapacity)
        errors = .allocate(capacity: ErrorCodes.all.count)
        errors.initialize(repeating: 0, count: ErrorCodes.all.count)
    }

    deinit {
        block.deallocate()
        stripped.deallocate()
        errors.deallocate()
    }

    /// Counts one error response by its code.
    func addError(_ code: StaticString) {
        guard let i = ErrorCodes.index(of: code) else { return }
        let p = errors + i
        tg_store_relaxed(p, p.pointee &+ 1)
    }

    /// Reads the count of one error code (by `ErrorCodes.all` index) from any thread.
    public func loadError(_ index: Int) -> UInt64 {
        index < ErrorCodes.all.count ? tg_load_relaxed(errors + index) : 0
    }

    /// Counts one header stripped from an untrusted request, by the sanitiser's label index.
    @inline(__always)
    func addStripped(_ label: UInt16) {
        guard Int(label) < Self.stripLabelCapacity else { return }
        let p = stripped + Int(label)
        tg_store_relaxed(p, p.pointee &+ 1)
    }

    /// Reads the strip count of one label from any thread.
    public func loadStripped(_ label: Int) -> UInt64 {
        label < Self.stripLabelCapacity ? tg_load_relaxed(stripped + label) : 0
    }

    @inline(__always)
    func add(_ name: Name, _ delta: UInt64 = 1) {
        let p = block + name.rawValue
        tg_store_relaxed(p, p.pointee &+ delta)
    }

    @inline(__always)
    func subtract(_ name: Name, _ delta: UInt64 = 1) {
        let p = block + name.rawValue
        tg_store_relaxed(p, p.pointee &- delta)
    }

    /// Reads one counter from any thread.
    public func load(_ name: Name) -> UInt64 { tg_load_relaxed(block + name.rawValue) }
}
