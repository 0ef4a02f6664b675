// ShadowExchange: the state of one mirrored request on its shadow connection.
import TracegateHTTP
import TracegateResilience

extension Connection {
    /// What an upstream slot serves: a primary exchange (the default), or shadow traffic.
    ///
    /// Why a role and not a new `Kind`: a shadow connection is an upstream connection in every
    /// way the worker's generic code cares about (epoll readiness, timers, TLS, drain, exit); only
    /// who drives it differs. The dispatch, the timer loop and `closeUpstream` ask the role once
    /// and hand shadow slots to the mirror code, which never touches a primary exchange's state
    /// beyond leaving a result in it.
    enum Role: UInt8 {
        case primary
        case shadow
    }
}

/// One shadow exchange, stored in its connection slot (plain values only): what was sent, how
/// far the response got, and what the comparison needs from both sides.
///
/// The request bytes (the rewritten head and a copy of the body) are in the slot's `outBuf`;
/// response bytes pass through `inBuf` and are discarded once parsed. `serial == 0` means no
/// shadow exchange runs on the connection (it is connecting for none, or idle in the pool).
struct ShadowExchange {
    /// Matches the primary's `MirrorLink.serial`; 0 when idle.
    var serial: UInt64 = 0
    /// The primary's slot (a stream slot for HTTP/2 clients) and its generation then.
    var downstreamFD: Int32 = -1
    var downstreamGeneration: UInt32 = 0
    /// The route's metric slot (gate, counters, gauge).
    var routeSlot: Int32 = -1
    /// The request method, which decides whether a response has a body (HEAD).
    var method: HTTPMethod = .get
    /// Hash the shadow's payload and compare bodies too.
    var compareBody = false
    /// The trace is sampled: the shadow's CLIENT span is exported (its record is in the slot).
    var traced = false
    /// The mirrored trace (span, list of recent mismatches) and the primary's SERVER span, the
    /// shadow CLIENT span's parent.
    var traceHi: UInt64 = 0
    var traceLo: UInt64 = 0
    var serverSpanID: UInt64 = 0
    /// The primary exchange's start, monotonic (the origin of the span's offsets) and wall clock.
    var originNanos: UInt64 = 0
    var wallStartNanos: UInt64 = 0
    /// The route's index in the snapshot of the primary (`tracegate.route` on the span).
    var routeIndex: Int32 = -1
    /// Response progress.
    var headParsed = false
    var keepAlive = true
    var status: UInt16 = 0
    var tracker = BodyTracker(framing: .none)
    var digest = BodyDigest(maxBody: 0)
    /// The primary finished first: its result for the comparison (nil: it got no response).
    var primaryReported = false
    var primary: MirrorComparison.Response? = nil
}
