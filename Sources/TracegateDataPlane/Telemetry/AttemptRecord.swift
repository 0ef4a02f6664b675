// AttemptRecord: one upstream attempt of an exchange, as plain values for spans and logs.
import TracegateContext

/// How an upstream attempt ended. The raw values are stable: they cross to the control side in
/// request records.
public enum AttemptOutcome: UInt8, Sendable {
    /// Still in flight (the exchange ended before the attempt did, which only a crash would do).
    case pending
    /// A response head arrived; the attempt's status is the upstream's.
    case response
    case connectFailed
    case connectTimeout
    case timeout
    case reset
    case malformedResponse
    /// No connection could be leased (per-endpoint connection limit).
    case poolExhausted
    /// The client went away, or the response could not be completed towards it.
    case aborted

    /// The `error.type` of a failed attempt's CLIENT span (nil when a response arrived).
    public var errorTypeStatic: StaticString? {
        switch self {
        case .pending, .response: nil
        case .connectFailed: "connect_failed"
        case .connectTimeout: "connect_timeout"
        case .timeout: "timeout"
        case .reset: "reset"
        case .malformedResponse: "malformed_response"
        case .poolExhausted: "pool_exhausted"
        case .aborted: "aborted"
        }
    }

    /// The same as text (empty when a response arrived), for logs and metric labels.
    public var errorType: String { errorTypeStatic.map { $0.description } ?? "" }
}

/// One attempt: its CLIENT span id (the parent-id in the `traceparent` the upstream saw), where
/// it went, and its timeline as offsets from the exchange's start (monotonic nanoseconds).
public struct AttemptRecord: Sendable {
    public var spanID = SpanID(0)
    public var endpoint = PeerAddress()
    public var clusterIndex: Int32 = -1
    public var startOffsetNanos: UInt64 = 0
    /// Response head received (0 when none).
    public var headOffsetNanos: UInt64 = 0
    /// The attempt's new connection finished its TCP connect (0 when none: a pooled or shared
    /// HTTP/2 connection, or a connect that failed). TLS handshakes come after this point.
    public var connectOffsetNanos: UInt64 = 0
    public var endOffsetNanos: UInt64 = 0
    public var status: UInt16 = 0
    public var outcome: AttemptOutcome = .pending
    /// Sent on a pooled keep-alive connection (no connect).
    public var reusedConnection = false
    /// The attempt went out as a stream of an HTTP/2 connection (`network.protocol.version` "2").
    public var http2 = false
    /// The attempt's connection is TLS (`url.full` says https).
    public var tls = false

    public init() {}
}

/// The attempts of one exchange, inline (no heap), first `capacity` kept; later ones are only
/// counted in ``RequestRecord/attempts``.
public struct AttemptLog: Sendable {
    /// Eight attempts cover every sane `max_attempts`; later ones are counted, not logged.
    public static let capacity = 8
    private var storage = InlineArray<8, AttemptRecord>(repeating: AttemptRecord())
    public private(set) var count = 0

    public init() {}

    public subscript(i: Int) -> AttemptRecord {
        get { storage[i] }
        set { storage[i] = newValue }
    }

    /// Starts a new entry; false (nothing kept) when the log is full.
    mutating func append(_ attempt: AttemptRecord) -> Bool {
        guard count < Self.capacity else { return false }
        storage[count] = attempt
        count += 1
        return true
    }

    mutating func removeAll() { count = 0 }

    /// The last entry, when it is still open.
    var openIndex: Int? {
        count > 0 && storage[count - 1].outcome == .pending ? count - 1 : nil
    }
}
