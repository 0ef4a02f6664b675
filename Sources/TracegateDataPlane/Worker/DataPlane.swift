// DataPlane: the control side's handle on the workers.
import CTracegateShims
import Glibc

/// Binds every listener once per worker (SO_REUSEPORT), starts one thread per worker, and is the
/// only way the control side reaches them: snapshots, drain and stop go through each worker's
/// mailbox; counters are read from their blocks.
public final class DataPlane: Sendable {
    public let workerCount: Int
    public let counters: [WorkerCounters]
    /// Per-route, per-cluster and per-endpoint metric blocks, one per worker.
    public let metrics: [WorkerMetrics]
    /// The names behind the metric slots in `metrics` (the same registry the snapshots were built with).
    public let metricSlots: MetricSlots
    /// Shadow-traffic counters, gauges and recent mismatches, one block per worker.
    public let mirrorMetrics: [MirrorMetrics]
    /// Retry, threshold, breaker and ejection figures, one block per worker.
    public let resilience: [ResilienceMetrics]
    /// Breaker transitions and ejections, one queue per worker, drained by the control side.
    public let resilienceEvents: [ResilienceEvents]
    /// One record ring per worker, drained by the control side.
    public let rings: [RecordRing]
    /// Verbose headers of honoured debug requests, for the access log.
    public let debugDetails = DebugDetails()
    /// The address each listener is bound to, by listener name (port 0 resolved).
    public let boundAddresses: [(name: String, address: SocketAddress)]
    private let mailboxes: [WorkerMailbox]
    private let listenerFDs: [[Int32]]
    private let threads = ThreadSet()
    private let initial: RuntimeSnapshot

    /// Binds all listening sockets up front so that start-up fails loudly (address in use,
    /// permission) before any thread starts. `slots` must be the registry `snapshot` (and every
    /// later one) was built with: its capacity sizes the workers' metric blocks.
    public init(snapshot: RuntimeSnapshot, workers: Int, slots: MetricSlots) throws(SocketError) {
        workerCount = max(1, workers)
        var perWorker = Array(repeating: [Int32](), count: workerCount)
        var bound: [(String, SocketAddress)] = []
        for listener in snapshot.listeners {
            var address = listener.address
            for w in 0..<workerCount {
                switch SocketOps.listen(address: address) {
                case .success(let fd):
                    if w == 0, let actual = SocketAddress.local(of: fd) {
                        address = actual  // port 0: every worker binds the port the first one got
                        bound.append((listener.name, actual))
                    }
                    perWorker[w].append(fd)
                case .failure(let error):
                    for fds in perWorker { for fd in fds { close(fd) } }
                    throw error
                }
            }
        }
        listenerFDs = perWorker
        boundAddresses = bound
        mailboxes = (0..<workerCount).map { _ in WorkerMailbox() }
        counters = (0..<workerCount).map { _ in WorkerCounters() }
        metricSlots = slots
        metrics = (0..<workerCount).map { _ in WorkerMetrics(capacity: slots.capacity) }
        mirrorMetrics = (0..<workerCount).map { _ in MirrorMetrics(routeCapacity: slots.capacity.routes) }
        rings = (0..<workerCount).map { _ in RecordRing(capacity: 4096) }
        resilience = (0..<workerCount).map { _ in ResilienceMetrics(capacity: slots.capacity) }
        resilienceEvents = (0..<workerCount).map { _ in ResilienceEvents() }
        initial = snapshot
    }

    /// Starts the worker threads. Each builds its own `Worker` on its own thread.
    public func start() {
        tg_ignore_sigpipe()
        for w in 0..<workerCount {
            let (index, snapshot, fds, mailbox, counters, ring) = (w, initial, listenerFDs[w], mailboxes[w], self.counters[w], rings[w])
            let (details, metrics, mirrorMetrics) = (debugDetails, self.metrics[w], self.mirrorMetrics[w])
            let (resilience, events) = (self.resilience[w], resilienceEvents[w])
            threads.spawn(name: "tg-worker-\(w)") {
                let worker = Worker(index: index, snapshot: snapshot, listenerFDs: fds, mailbox: mailbox, counters: counters,
                                    metrics: metrics, mirrorMetrics: mirrorMetrics, ring: ring, debugDetails: details,
                                    resilience: resilience, resilienceEvents: events)
                worker.run()
            }
        }
    }

    /// Hands a reloaded configuration to every worker.
    public func apply(_ snapshot: RuntimeSnapshot) {
        for m in mailboxes { m.post(.apply(snapshot)) }
    }

    /// Asks every worker to drain; they exit when idle or at the deadline.
    public func drain(timeoutNanos: UInt64) {
        let deadline = tg_monotonic_ns() &+ timeoutNanos
        for m in mailboxes { m.post(.drain(deadlineNanos: deadline)) }
    }

    public func stop() {
        for m in mailboxes { m.post(.stop) }
    }

    /// Blocks until every worker thread has returned.
    public func join() { threads.joinAll() }

    /// Sums one counter over all workers.
    public func total(_ name: WorkerCounters.Name) -> UInt64 {
        counters.reduce(0) { $0 &+ $1.load(name) }
    }
}
