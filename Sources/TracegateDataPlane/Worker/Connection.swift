// Connection: one slot of a worker's connection table.
import TracegateHTTP
import TracegateTLS

/// Everything a worker knows about one file descriptor, as a plain struct stored in a table
/// indexed by fd.
///
/// Why one struct for every role (listener, downstream, upstream, wakeup): the table is a flat
/// array of identical slots that never moves, so an epoll event's fd finds its state with one
/// multiply, and no per-connection object is allocated or reference-counted. Buffers are owned by
/// the slot and released when the fd closes. `generation` changes every time the slot is reused,
/// so an event or timer for a closed fd is recognised and dropped.
struct Connection {
    enum Kind: UInt8 { case free, listener, wakeup, downstream, upstream }

    /// What a downstream connection is doing between requests.
    enum DownstreamPhase: UInt8 {
        /// Keep-alive: waiting for the first byte of the next request (idle timer).
        case idle
        /// Some bytes of a head have arrived (header-read timer).
        case readingHead
        /// An exchange is in flight.
        case proxying
        /// Upgraded (101): bytes flow raw both ways.
        case tunnel
        /// A final response is being flushed; the connection closes when it is out.
        case closing
        /// TLS handshake in progress (TLS listeners, before the first request).
        case handshake
        /// HTTP/2: an nghttp2 session (`session`) carries many streams, each in a stream slot.
        case multiplexed
    }

    /// What an upstream connection is doing.
    enum UpstreamPhase: UInt8 { case connecting, handshake, idle, active }

    /// Which deadline `deadline` stands for.
    enum TimerKind: UInt8 {
        case none, headerRead, keepAliveIdle, connect, response, poolIdle, closingLinger, tunnelIdle
        /// Downstream: the backoff before a retry ended.
        case retryBackoff
        /// Downstream: the exchange waited in a pool's pending queue for its whole attempt timeout.
        case pendingWait
        /// Downstream: an injected fault delay ended; the request goes on (or is aborted).
        case faultDelay
    }

    var kind: Kind = .free
    var generation: UInt32 = 0
    var fd: Int32 = -1

    /// Edge-triggered readiness as last reported by epoll: true until a read or write would block.
    var canRead = false
    var canWrite = false
    /// The peer sent FIN (read returned 0).
    var readEOF = false
    /// epoll reported EPOLLRDHUP/EPOLLHUP: the peer's FIN is queued behind any data, so a short read
    /// does not mean "drained" (nginx's `pending_eof`) — the next read returns the end of stream.
    var peerHungUp = false
    /// We sent FIN (closing phase: lingering until the peer closes or the linger timer fires).
    var shutdownSent = false

    /// HTTP/2 stream slots (virtual, past the fd range): the stream, its parent, its translation.
    var stream = StreamState()
    /// HTTP/2 connections (downstream or upstream): the `H2Link` owning the nghttp2 session,
    /// retained while the slot lives (`Unmanaged`); nil otherwise.
    var session: UnsafeMutableRawPointer? = nil
    /// The connection's TLS session (downstream on TLS listeners, upstream to TLS clusters).
    var tls: TLSConnection? = nil
    /// Set while the connection is queued on the worker's list of HTTP/2 output to flush.
    var flushQueued = false

    var inBuf = IOBuffer()
    var outBuf = IOBuffer()

    /// Absolute monotonic deadline in ns; 0 when no timer is armed.
    var deadline: UInt64 = 0
    var timerKind: TimerKind = .none

    // Listener
    var listenerIndex: Int = 0

    // Downstream
    var phase: DownstreamPhase = .idle
    var peer = PeerAddress()
    var trusted = false
    var requestsServed: Int = 0
    /// When the connection was accepted (monotonic; an HTTP/2 stream has its connection's): the
    /// first point of each request's timeline, which on keep-alive precedes the request.
    var acceptedNanos: UInt64 = 0
    /// Bytes of the pending head already parsed as incomplete (re-parse only when it can help).
    var headParsedCount: Int = 0
    var exchange = Exchange()
    /// The current exchange's access-log record, filled as it goes (request facts are copied at the
    /// head, because the head's bytes may be gone from the buffer by the time it ends). Kept apart
    /// from `exchange` so the pump's reads of exchange state never copy it.
    var record = RequestRecord()
    /// The rewritten request head for the upstream, kept whole until the exchange ends so a request
    /// can be sent again on a fresh connection when a pooled one turns out to be stale.
    var upstreamHead = IOBuffer()

    // Upstream
    var upstreamPhase: UpstreamPhase = .connecting
    var poolIndex: Int = -1
    var downstreamFD: Int32 = -1
    var downstreamGeneration: UInt32 = 0
    /// Number of exchanges this upstream connection has completed (0 = fresh).
    var exchangesServed: Int = 0
    /// Primary traffic, or a shadow connection driven by the mirror code (`ShadowExchange`).
    var role = Role.primary
    var shadow = ShadowExchange()

    /// A stream slot: its bytes go through the parent connection's nghttp2 session, not a socket.
    @inline(__always)
    var isStream: Bool { stream.parentFD >= 0 }

    /// A read returned fewer bytes than asked: with edge-triggered epoll that means the socket is
    /// drained, unless the peer's FIN is pending.
    @inline(__always)
    mutating func noteShortRead() {
        if !peerHungUp { canRead = false }
    }

    /// Resets the per-fd state for a new use of the slot, keeping allocated buffers for reuse.
    mutating func reset(kind: Kind, fd: Int32) {
        self.kind = kind
        self.fd = fd
        generation &+= 1
        canRead = false
        canWrite = false
        readEOF = false
        peerHungUp = false
        shutdownSent = false
        inBuf.clear()
        outBuf.clear()
        upstreamHead.clear()
        deadline = 0
        timerKind = .none
        phase = .idle
        trusted = false
        requestsServed = 0
        headParsedCount = 0
        exchange = Exchange()
        upstreamPhase = .connecting
        poolIndex = -1
        downstreamFD = -1
        downstreamGeneration = 0
        exchangesServed = 0
        role = .primary
        shadow = ShadowExchange()
        stream = StreamState()
        session = nil
        tls = nil
        flushQueued = false
    }
}

/// A peer's IP address as numbers, for trust checks and records without formatting.
public struct PeerAddress: Sendable {
    public var isIPv6 = false
    /// IPv4 in host byte order.
    public var v4: UInt32 = 0
    /// IPv6 as two big-endian-folded halves.
    public var v6: (UInt64, UInt64) = (0, 0)
    public var port: UInt16 = 0

    public init() {}
}
