// Worker: one thread, one epoll instance, its connections, pools and timers.
import CTracegateShims
import Glibc
import TracegateContext
import TracegateHTTP

/// A shared-nothing event loop: it owns its epoll instance, its `SO_REUSEPORT` listening sockets,
/// the connection table, the upstream pools, a timer wheel and its counters. Nothing it touches on
/// the request path is shared with another thread, so there is no lock, no atomic read-modify-write,
/// no `Task` and no reference counting per request.
///
/// Created and run on its own thread (`WorkerThread`), never handed to another one.
final class Worker {
    let index: Int
    let epfd: Int32
    let mailbox: WorkerMailbox
    let counters: WorkerCounters
    /// Per-route, per-cluster and per-endpoint metrics and pool gauges (read at scrape time).
    let metrics: WorkerMetrics
    /// Finished-request records for the control side (access log, request ring).
    let ring: RecordRing
    var table: ConnectionTable
    var wheel: TimerWheel
    var dueTimers: [TimerWheel.Entry] = []
    var snapshot: RuntimeSnapshot
    var pools: UpstreamPools
    /// Shadow traffic: its own pools, the per-route gates, its metrics block.
    var mirror: WorkerMirror
    var listenerFDs: [Int32]
    /// The port each listener is bound to (port 0 resolved), for `server.port` on SERVER spans.
    let listenerPorts: [UInt16]
    /// Monotonic time of the current loop iteration (one clock read per wake-up).
    var now: UInt64
    var downstreamCount = 0
    var draining = false
    var drainDeadline: UInt64 = 0
    var finished = false
    /// Parse targets reused for every head this worker reads, so parsing never allocates.
    var requestHead = RequestHead()
    var responseHead = ResponseHead()
    /// One edge decision maker per listener (each owns a debug rate limiter, so they are per worker).
    var edges: [EdgeDecider]
    /// Ids and sampling randomness: a fast generator per worker, seeded from the kernel.
    var random: FastRandom
    /// Views into the current request head, valid while its upstream head is written.
    var edgeInput = EdgeInput(trusted: false, nowNanos: 0)
    var edgeBaggage = HeaderFields()
    /// The current request's fault headers (views into its head, set by `prepareEdge`) and
    /// whether its caller may use them; read by `planFault` right after.
    var faultDelayHeader: UnsafeRawBufferPointer? = nil
    var faultAbortHeader: UnsafeRawBufferPointer? = nil
    var faultHeadersAuthorised = false
    /// Redacted headers of honoured debug requests in flight, by downstream fd (rare path).
    var pendingDebug: [Int32: DebugDetails.Detail] = [:]
    let debugDetails: DebugDetails
    /// HTTP/2 connections with frames to send, flushed once at the end of each loop iteration.
    var flushQueue: [Int32] = []
    /// Parse target and header block reused for every HTTP/2 response head a stream translates.
    var streamResponseHead = ResponseHead()
    var streamFields = FieldBlock()
    /// Parse target and header block reused for every request head sent on an HTTP/2 upstream.
    var upstreamRequestHead = RequestHead()
    var upstreamFields = FieldBlock()
    /// Raw trailer sections of chunked upstream responses on streams, by slot (rare: gRPC over
    /// an HTTP/1.1 upstream), handed to HTTP/2 as trailing HEADERS.
    var streamTrailers: [Int32: [UInt8]] = [:]
    /// Each cluster's retry budget, thresholds, breakers and outlier detector (by snapshot index).
    var guards: [ClusterGuard] = []
    /// Bumped for every guard built, so an exchange never hands a count back to a guard it did
    /// not take it from.
    var guardEpoch: UInt32 = 0
    /// Retry, threshold, breaker and ejection figures for the scraper.
    let resilience: ResilienceMetrics
    /// Breaker transitions and ejections for the control side's log.
    let resilienceEvents: ResilienceEvents
    /// When guards must be ticked next (0: nothing changes with time alone).
    var nextGuardTick: UInt64 = 0
    /// When the cluster gauges are next refreshed from a completing exchange.
    var nextGaugePublish: UInt64 = 0
    /// Exchanges waiting in some pool's pending queue.
    var waitingExchanges = 0

    static let readChunk = 16 * 1024
    /// How often breakers and ejections are re-checked while one is not in its resting state.
    static let guardTickNanos: UInt64 = 100_000_000
    /// Retries due sooner than this start at once (the timer wheel's tick is 10 ms).
    static let immediateRetryNanos: UInt64 = 1_000_000
    static let epollFlags = UInt32(EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue) | (1 << 31)  // EPOLLET

    init(index: Int, snapshot: RuntimeSnapshot, listenerFDs: [Int32], mailbox: WorkerMailbox, counters: WorkerCounters,
         metrics: WorkerMetrics, mirrorMetrics: MirrorMetrics, ring: RecordRing, debugDetails: DebugDetails,
         resilience: ResilienceMetrics, resilienceEvents: ResilienceEvents) {
        self.resilience = resilience
        self.resilienceEvents = resilienceEvents
        self.ring = ring
        self.metrics = metrics
        pools = UpstreamPools(metrics: metrics)
        mirror = WorkerMirror(gauges: metrics, metrics: mirrorMetrics, snapshot: snapshot)
        self.debugDetails = debugDetails
        self.index = index
        self.snapshot = snapshot
        self.listenerFDs = listenerFDs
        listenerPorts = listenerFDs.map { UInt16(truncatingIfNeeded: SocketAddress.local(of: $0)?.port ?? 0) }
        self.mailbox = mailbox
        self.counters = counters
        edges = snapshot.listeners.map { EdgeDecider(policy: $0.edgePolicy) }
        random = FastRandom.seededFromKernel()
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        table = ConnectionTable(capacity: ConnectionTable.fileDescriptorLimit())
        now = tg_monotonic_ns()
        wheel = TimerWheel(now: now)
        requestHead.headers.reserveCapacity(snapshot.headLimits.maxHeaderCount)
        responseHead.headers.reserveCapacity(snapshot.headLimits.maxHeaderCount)
        streamResponseHead.headers.reserveCapacity(snapshot.headLimits.maxHeaderCount)
        pools.apply(snapshot)
        applyGuards(snapshot)
        for (i, fd) in listenerFDs.enumerated() {
            let slot = table[fd]
            slot.pointee.reset(kind: .listener, fd: fd)
            slot.pointee.listenerIndex = i
            register(fd)
        }
        let wake = table[mailbox.eventFD]
        wake.pointee.reset(kind: .wakeup, fd: mailbox.eventFD)
        _ = tg_epoll_ctl(epfd, Int32(EPOLL_CTL_ADD), mailbox.eventFD, UInt32(EPOLLIN.rawValue),
                         UInt64(UInt32(bitPattern: mailbox.eventFD)) | UInt64(wake.pointee.generation) << 32)
    }

    /// The loop: wait, dispatch every event, fire due timers; until stopped or drained.
    func run() {
        tg_block_signals()
        let events = UnsafeMutablePointer<tg_event>.allocate(capacity: 256)
        defer { events.deallocate() }
        while !finished {
            var timeout = wheel.pollTimeoutMillis()
            if draining && (timeout < 0 || timeout > 50) { timeout = 50 }
            if nextGuardTick > 0 && (timeout < 0 || timeout > 100) { timeout = 100 }
            let n = tg_epoll_wait(epfd, events, 256, timeout)
            now = tg_monotonic_ns()
            if n > 0 {
                for i in 0..<Int(n) { dispatch(events[i]) }
            }
            fireTimers()
            if waitingExchanges > 0 { resumeWaiters() }
            if nextGuardTick > 0 && now >= nextGuardTick { tickGuards() }
            if !mirror.resumeQueue.isEmpty { resumeShadows() }
            if !flushQueue.isEmpty { flushQueuedH2() }
            if draining { checkDrain() }
        }
        shutdownAll()
    }

    /// Registers an fd for edge-triggered read, write and peer-close events, once for its lifetime.
    func register(_ fd: Int32) {
        let slot = table[fd]
        _ = tg_epoll_ctl(epfd, Int32(EPOLL_CTL_ADD), fd, Worker.epollFlags,
                         UInt64(UInt32(bitPattern: fd)) | UInt64(slot.pointee.generation) << 32)
    }

    private func dispatch(_ event: tg_event) {
        let fd = Int32(truncatingIfNeeded: event.data & 0xFFFF_FFFF)
        let generation = UInt32(truncatingIfNeeded: event.data >> 32)
        guard table.contains(fd) else { return }
        let slot = table[fd]
        guard slot.pointee.generation == generation else { return }  // the fd was closed and reused
        let readable = event.events & UInt32(EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
        let writable = event.events & UInt32(EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        if event.events & UInt32(EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 { slot.pointee.peerHungUp = true }
        switch slot.pointee.kind {
        case .free:
            return
        case .listener:
            acceptConnections(listenerFD: fd)
        case .wakeup:
            handleMailbox()
        case .downstream:
            if readable { slot.pointee.canRead = true }
            if writable { slot.pointee.canWrite = true }
            driveDownstream(fd)
        case .upstream:
            if readable { slot.pointee.canRead = true }
            if writable { slot.pointee.canWrite = true }
            if slot.pointee.role == .shadow { shadowEvent(fd) } else { upstreamEvent(fd) }
        }
    }

    /// Arms the one deadline a connection has (re-arming replaces it; the wheel cancels lazily).
    func arm(_ fd: Int32, _ kind: Connection.TimerKind, after nanos: UInt64) {
        let slot = table[fd]
        let deadline = now &+ nanos
        slot.pointee.deadline = deadline
        slot.pointee.timerKind = kind
        wheel.schedule(fd: fd, generation: slot.pointee.generation, deadline: deadline)
    }

    func disarm(_ fd: Int32) {
        table[fd].pointee.deadline = 0
        table[fd].pointee.timerKind = .none
    }

    private func fireTimers() {
        guard wheel.count > 0 else { return }
        wheel.collectDue(now: now, into: &dueTimers)
        guard !dueTimers.isEmpty else { return }
        for entry in dueTimers {
            let slot = table[entry.fd]
            guard slot.pointee.generation == entry.generation, slot.pointee.deadline == entry.deadline,
                  slot.pointee.kind != .free else { continue }
            let kind = slot.pointee.timerKind
            disarm(entry.fd)
            if slot.pointee.role == .shadow { shadowTimerFired(entry.fd, kind) } else { timerFired(entry.fd, kind) }
        }
        dueTimers.removeAll(keepingCapacity: true)
    }

    private func handleMailbox() {
        for command in mailbox.take() {
            switch command {
            case .apply(let next):
                snapshot = next
                pools.apply(next)
                applyGuards(next)
                mirror.apply(next)
                edges = next.listeners.map { EdgeDecider(policy: $0.edgePolicy) }
            case .drain(let deadline):
                beginDrain(deadline: deadline)
            case .stop:
                finished = true
            }
        }
    }
}

@available(*, unavailable)
extension Worker: Sendable {}
