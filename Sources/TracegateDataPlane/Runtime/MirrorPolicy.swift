// MirrorPolicy: a route's shadow-traffic settings, resolved for the workers.
import TracegateHTTP
import TracegateResilience

/// What a route mirrors, where to, and how much of it a worker may have in flight.
///
/// Why resolved here and not read from the YAML model: the cluster is an index into the same
/// snapshot, the host suffix is bytes ready to append, and `maxInFlight` is already the share of
/// one worker (the configured value divided by the worker count, at least 1), so the request path
/// does no lookups and no arithmetic beyond one comparison.
public struct MirrorPolicy: Sendable {
    /// The shadow cluster (index into `RuntimeSnapshot.clusters`).
    public var clusterIndex: Int
    /// Which trace ids are mirrored: the same ones on every instance (issue 7, issue 8's scaling).
    public var selector: MirrorSelector
    /// Methods that are mirrored; empty means every method.
    public var methods: [HTTPMethod]
    /// Appended to the `Host` the shadow sees (Envoy's `-shadow`), so staging can tell the copy apart.
    public var hostSuffix: [UInt8]
    /// Requests whose head and body together are larger are not mirrored (counted as skipped), and
    /// bodies larger than this are not compared.
    public var maxBody: Int
    /// Shadow exchanges one worker may have open; the next is dropped and counted.
    public var maxInFlight: Int
    /// How long a shadow exchange may take in all (connect to last byte) before it is abandoned.
    public var timeoutNanos: UInt64
    /// Compare body hashes as well as statuses (`compare: body`).
    public var compareBody: Bool

    public init(clusterIndex: Int, selector: MirrorSelector, methods: [HTTPMethod] = [], hostSuffix: [UInt8] = Array("-shadow".utf8),
                maxBody: Int = 65_536, maxInFlight: Int = 64, timeoutNanos: UInt64 = 5_000_000_000, compareBody: Bool = false) {
        self.clusterIndex = clusterIndex
        self.selector = selector
        self.methods = methods
        self.hostSuffix = hostSuffix
        self.maxBody = maxBody
        self.maxInFlight = maxInFlight
        self.timeoutNanos = timeoutNanos
        self.compareBody = compareBody
    }

    /// Whether requests with `method` are mirrored.
    public func mirrors(_ method: HTTPMethod) -> Bool { methods.isEmpty || methods.contains(method) }
}
