// StreamState: what a stream slot knows about its HTTP/2 stream.

/// The per-stream facts a stream slot keeps next to its exchange: where its translation to and
/// from HTTP/1.1 stands and how much of the client's flow-control window it holds.
///
/// A plain value inside `Connection` (slots are trivial types).
struct StreamState {
    /// The carrying connection (an fd slot) and its generation when the stream opened: a stream
    /// whose parent was closed and reused is recognised as orphaned.
    var parentFD: Int32 = -1
    var parentGeneration: UInt32 = 0
    /// The HTTP/2 stream identifier (RFC 9113 §5.1.1).
    var id: Int32 = 0
    /// The request body arrives as DATA frames re-framed as HTTP/1.1 chunks (no content-length).
    var requestChunked = false
    /// END_STREAM was received: the request's body (and trailers) are complete.
    var requestEnded = false
    /// DATA payload received and not yet returned to the peer's window (`H2Session.consume`).
    /// Returned as the bytes are forwarded, which is what ties the client's window to the
    /// upstream's pace (RFC 9113 §5.2).
    var unconsumed: Int = 0
    /// Response HEADERS were submitted; whether DATA follows them.
    var headSubmitted = false
    var bodyOpen = false
    /// The HTTP/2 stream is closed (reset by the peer, or its connection went away): nothing
    /// more may be sent on it, not even RST_STREAM.
    var closed = false
    /// Upstream-side streams: the translated request head was submitted to the session.
    var requestSubmitted = false
}
