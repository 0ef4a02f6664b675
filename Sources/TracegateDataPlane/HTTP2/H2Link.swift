// H2Link: one HTTP/2 connection's session and the stream slots it carries.
import TracegateH2
import TracegateHTTP

/// The object behind an HTTP/2 connection's slot: its nghttp2 session and the stream slots
/// currently open on it.
///
/// Why a class when everything else in a slot is a plain value: the nghttp2 session is a C object
/// with callbacks that must find their Swift state through a stable pointer, and it lives exactly
/// as long as the connection. The slot holds it retained (`Connection.session`), released once
/// when the connection closes. Per connection, not per request, so its allocation is off the
/// per-request path.
final class H2Link {
    let session: H2Session
    /// Stream slots open on this connection, so closing the connection can end each of them.
    var streamSlots: [Int32] = []
    /// A GOAWAY was sent or received: no new streams; the connection closes when the last ends.
    var goingAway = false
    /// The stream slot of each open stream id. Kept here rather than as nghttp2 stream user data:
    /// a request's stream exists inside nghttp2 only once its HEADERS went out, and nghttp2 forgets a
    /// stream (and its user data) before the worker handles its closing, when the slot must still
    /// be found to end the exchange (a client's RST_STREAM).
    var streamsByID: [Int32: Int32] = [:]
    /// Upstream connections: the pool this connection belongs to.
    var poolIndex: Int = -1
    /// Upstream connections: the most streams Tracegate opens on it (the cluster's setting; the
    /// peer's SETTINGS_MAX_CONCURRENT_STREAMS may lower it further).
    var maxStreams: Int = 100

    init(session: H2Session) {
        self.session = session
        streamSlots.reserveCapacity(16)
    }

    /// Takes a stream slot off the open list.
    func remove(slot: Int32) {
        if let i = streamSlots.lastIndex(of: slot) { streamSlots.swapAt(i, streamSlots.count - 1); streamSlots.removeLast() }
    }

    /// Streams Tracegate may still open on this (upstream) connection.
    var hasStreamCapacity: Bool {
        !goingAway && session.canOpenStream && streamSlots.count < min(maxStreams, Int(session.remoteMaxConcurrentStreams))
    }
}

extension Connection {
    /// The HTTP/2 link of a multiplexed connection (the caller checked `session != nil`).
    @inline(__always)
    var link: H2Link { Unmanaged<H2Link>.fromOpaque(session!).takeUnretainedValue() }
}

extension H2Error {
    /// Whether the connection was closed for flooding (counted apart from protocol errors).
    var isFlood: Bool {
        if case .flood = kind { return true }
        return false
    }
}
