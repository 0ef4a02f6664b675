// MirrorLink: what a primary exchange knows about its shadow copy.
import TracegateHTTP
import TracegateResilience

/// The primary side of a mirrored request, stored in its `Exchange` (plain values only).
///
/// Why a link and not a reference: the primary and its shadow live in two connection slots that
/// end in either order and never wait for each other. Each side carries the other's slot, and
/// both carry one worker-wide `serial`, so the side that finishes second can tell whether its
/// partner is still the same exchange (a keep-alive connection reuses its slot and generation)
/// and run the comparison; the side that finishes first leaves its result with the other.
struct MirrorLink {
    enum Phase: UInt8 {
        /// The request is not mirrored (the route has no mirror, or selection said no).
        case none
        /// Selected: the shadow starts once the whole request has gone to the primary.
        case waiting
        /// A shadow exchange was started with this `serial`.
        case started
    }

    var phase: Phase = .none
    /// Hash the primary's response payload as it streams (`compare: body`).
    var digesting = false
    /// The shadow finished first and left its result in `shadowResponse`.
    var shadowDone = false
    /// The route's metric slot: the key of its gate, counters and gauge on this worker.
    var routeSlot: Int32 = -1
    /// Requests whose upstream head and body are larger are not mirrored.
    var maxBody: Int = 0
    /// Identifies this shadow exchange on both sides (worker-wide, never 0 once started).
    var serial: UInt64 = 0
    /// The shadow's connection slot while it runs.
    var shadowFD: Int32 = -1
    /// The primary's response payload digest (only fed while `digesting`).
    var digest = BodyDigest(maxBody: 0)
    /// The shadow's response when it finished first (nil: it got none).
    var shadowResponse: MirrorComparison.Response? = nil

    /// What the comparison sees of the primary: its upstream's status (and payload digest when
    /// bodies are compared), or nil when Tracegate answered itself or the response did not reach
    /// the client whole (a truncated body says nothing about the upstream's answer, and a client
    /// that went away turns the status into 499).
    ///
    /// - Parameter delivered: nothing of the response is left to write (the client buffer is
    ///   empty and no validated upstream byte is pending), as when the exchange ends cleanly.
    static func primaryResponse(of x: Exchange, delivered: Bool) -> MirrorComparison.Response? {
        guard delivered, x.responseHeadParsed, x.errorCode == nil, x.status >= 200 && x.status <= 999 else { return nil }
        var complete = x.responseTracker.isComplete
        if case .untilClose = x.responseFraming { complete = true }
        guard complete else { return nil }
        let compareBody = x.mirror.digesting
        return compareBody
            ? MirrorComparison.Response(status: UInt16(x.status), body: x.mirror.digest.summary)
            : MirrorComparison.Response(status: UInt16(x.status))
    }
}
