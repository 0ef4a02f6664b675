// MirrorConfiguration.swift — a route's shadow traffic: which requests are copied, and where to.

import TracegateResilience

/// `routes[i].mirror` — copies of this route's requests sent, fire-and-forget, to another cluster
/// (a staging deployment), whose responses are compared with the primary's and discarded.
///
/// Absolute figures (`max_in_flight`) are for the whole process; the snapshot gives each worker
/// its share. The cluster is kept by name here (the YAML model); the snapshot resolves it.
public struct MirrorConfiguration: Sendable, Equatable {
    /// `cluster` (required). The shadow cluster: a cluster other than the route's own, with
    /// `protocol: http1` (with or without `tls`).
    public var cluster: String
    /// `fraction`. Which traces are mirrored: a fraction in 0...1 (default 1), decided from the
    /// trace id so every instance mirrors the same traces.
    public var selector: MirrorSelector
    /// `host_suffix`. Appended to the `Host` the shadow sees. Default `-shadow`; may be empty;
    /// letters, digits, `-`, `.` and `_` only.
    public var hostSuffix: String
    /// `methods`. The methods mirrored; empty (the default) mirrors every method.
    public var methods: [MirrorMethod]
    /// `max_body`. Requests whose head and body are larger are not mirrored, and larger bodies
    /// are not compared. Default 64KiB; 0...16MiB.
    public var maxBody: Int
    /// `max_in_flight`. Shadow requests open at once, process-wide; the next one is dropped and
    /// counted. Default 64; 1...65535.
    public var maxInFlight: Int
    /// `timeout`. How long one shadow exchange may take in all. Default 5s; > 0, ≤ 1h.
    public var timeout: Duration
    /// `compare`. What is compared with the primary: `status` (default) or `body` (status and a
    /// hash of each body within `max_body`).
    public var compare: MirrorCompare

    /// A mirror of every request to `cluster` with every other default.
    public init(
        cluster: String,
        selector: MirrorSelector,
        hostSuffix: String = "-shadow",
        methods: [MirrorMethod] = [],
        maxBody: Int = 65_536,
        maxInFlight: Int = 64,
        timeout: Duration = .seconds(5),
        compare: MirrorCompare = .status
    ) {
        self.cluster = cluster
        self.selector = selector
        self.hostSuffix = hostSuffix
        self.methods = methods
        self.maxBody = maxBody
        self.maxInFlight = maxInFlight
        self.timeout = timeout
        self.compare = compare
    }
}

/// `routes[i].mirror.methods[j]` — a request method that may be mirrored. Written in any case,
/// held in upper case (methods are case-sensitive on the wire, RFC 9110 §9.1, so only the
/// standard upper-case spellings are matched). `CONNECT` is absent: a tunnel cannot be copied.
public enum MirrorMethod: String, Sendable, Equatable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
    case options = "OPTIONS"
    case trace = "TRACE"
    case patch = "PATCH"
}

/// `routes[i].mirror.compare` — what Tracegate compares between the primary and the shadow.
public enum MirrorCompare: String, Sendable, Equatable, CaseIterable {
    /// The response statuses. Default.
    case status
    /// The statuses, and a hash of both bodies computed while they stream (bodies within
    /// `max_body`).
    case body
}
