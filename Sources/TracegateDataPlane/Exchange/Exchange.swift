// Exchange: the state of one HTTP request/response passing through a downstream connection.
import TracegateContext
import TracegateHTTP
import TracegateResilience

/// One request and its response, as plain values inside the downstream connection's slot.
///
/// Offsets (`requestSent`, `requestScanned`) are relative to the downstream input buffer's reader
/// index, so compacting the buffer never invalidates them. The request head and its body stay in
/// the input buffer until the exchange ends (or the buffer fills), which is what lets a request be
/// replayed on a fresh upstream connection without a copy.
struct Exchange {
    // Timing (monotonic ns) and identity.
    var startNanos: UInt64 = 0
    var startWallNanos: UInt64 = 0
    var headReadNanos: UInt64 = 0
    var upstreamStartNanos: UInt64 = 0
    var responseHeadNanos: UInt64 = 0

    // From the request head.
    var method: HTTPMethod = .get
    var clientKeepAlive = true
    var expectsContinue = false
    var wantsUpgrade = false
    /// The client spoke HTTP/1.0: no 1xx, no chunked framing, keep-alive only when announced.
    var clientHTTP10 = false
    /// The response body is chunked but the client is HTTP/1.0: payload is de-chunked into the
    /// client's buffer and the response is delimited by closing the connection.
    var dechunkResponse = false
    var headLength: Int = 0

    // Edge context: the decision, this attempt's CLIENT span, and where the correlation and session
    // ids sit inside the slot's upstream head (reused for the response and error bodies).
    var edge: EdgeDecision? = nil
    var clientSpanID = SpanID(0)
    /// Where the parent-id hex of `traceparent` sits in the upstream head (-1: none written), so
    /// a re-attempt can put its own CLIENT span id there.
    var traceparentSpanOffset: Int = -1
    var correlationRange = ByteRange(start: 0, end: 0)
    var sessionRange = ByteRange(start: 0, end: 0)

    // Routing.
    var routeIndex: Int = -1
    /// When routing chose the route (monotonic; 0 before), for the request's timeline.
    var routeChosenNanos: UInt64 = 0
    /// What mirroring did with this request, as ``RequestRecord/mirrorOutcome`` encodes it.
    var mirrorOutcome: UInt8 = 0
    var clusterIndex: Int = -1
    var poolIndex: Int = -1
    var upstreamFD: Int32 = -1
    var upstreamGeneration: UInt32 = 0
    var attempts: Int = 0
    /// Copied from the route at routing time, so a reload mid-exchange cannot change it: the
    /// longest wait for more response bytes once the head is in (the route's `timeout`).
    var responseTimeoutNanos: UInt64 = 0
    /// The longest wait for one attempt's response head: `retry.per_try_timeout`, else the
    /// route's `timeout`.
    var attemptTimeoutNanos: UInt64 = 0
    /// When `retry.timeout` ends the whole exchange (monotonic ns; 0: no overall limit).
    var deadlineNanos: UInt64 = 0

    // Resilience: what this exchange holds of its cluster's per-worker state (`ClusterGuard`),
    // so whatever way it ends gives it back exactly once (`releaseGuards`).
    /// The endpoint (index in the cluster) of the current attempt; -1 before the first.
    var member: Int = -1
    /// Endpoints already tried (bit per index below 64), so a retry prefers another one.
    var triedMembers: UInt64 = 0
    /// The breaker permit of the current attempt, when the cluster has breakers.
    var permit: CircuitBreaker.Permit? = nil
    /// The `ClusterGuard` generation the holds below were taken from (a reload that rebuilt the
    /// guards must not be handed back counts it never gave out).
    var guardEpoch: UInt32 = 0
    /// Counted in the cluster's `max_requests`.
    var holdsRequest = false
    /// Counted in the cluster's `max_retries` (from the retry decision to the retried attempt's end).
    var holdsRetry = false
    /// Waiting in this pool's pending queue (and counted in `max_pending_requests`); -1: not waiting.
    var pendingPool: Int = -1
    /// A retry is scheduled: the slot's timer starts the next attempt.
    var retryScheduled = false
    /// The request carries `Idempotency-Key`, which makes a non-idempotent method safe to retry.
    var hasIdempotencyKey = false
    /// Metric slots (`WorkerMetrics`) of the route, its cluster and the current attempt's endpoint,
    /// copied when they are chosen for the same reason; -1 while unknown.
    var routeSlot: Int32 = -1
    var clusterSlot: Int32 = -1
    var endpointSlot: Int32 = -1

    // Request direction (client → upstream).
    var requestTracker = BodyTracker(framing: .none)
    /// Bytes of the upstream head already written.
    var upstreamHeadSent: Int = 0
    /// Bytes of the input buffer (from its reader index) already written upstream, head included.
    var requestSent: Int = 0
    /// Bytes of the input buffer (from its reader index) that belong to this request and were validated.
    var requestScanned: Int = 0
    /// True while the whole request (head and body) is still in the input buffer.
    var replayable = true
    /// Raw request body bytes validated so far (chunk framing included), for bytes-in accounting.
    var requestBodyBytes: UInt64 = 0

    // Response direction (upstream → client).
    var responseHeadParsed = false
    var responseTracker = BodyTracker(framing: .none)
    var responseFraming: BodyFraming = .none
    /// Bytes of the upstream input buffer (from its reader index) validated as response body.
    var responseScanned: Int = 0
    var status: Int = 0
    var upstreamKeepAlive = true
    /// Some byte of the response (head or body) has been handed to the client socket.
    var responseStarted = false
    var responseBytes: UInt64 = 0
    /// The downstream closes after this response (client asked, untilClose framing, or an error).
    var closeAfterResponse = false
    /// Set when Tracegate answered with its own error response.
    var errorCode: ProxyError? = nil

    /// The shadow copy of this request, when its route mirrors it.
    var mirror = MirrorLink()

    // Faults injected on purpose (`routes[].fault`, the fault headers).
    /// What this request gets: a delay before its first attempt, an abort instead of one.
    var fault = FaultPlan()
    /// Held by the fault delay: the slot's timer (`faultDelay`) ends the hold.
    var faultHeld = false

    var isRequestComplete: Bool { requestTracker.isComplete && requestSent == requestScanned }
}
