// FaultInjection.swift — a route's configured faults (Envoy's fault filter, at the edge).

/// `routes[i].fault`: a delay held before the request goes upstream and an abort answered
/// without contacting the upstream, each applied to a percentage of the route's requests.
///
/// Why in this module: it is a pure decision like the retry policy. The initialisers validate
/// every value and throw a ``ResilienceConfigError`` naming the YAML key (`delay.percentage`),
/// so `TracegateConfig` reports it with the full key path and a worker never holds a setting it
/// cannot honour; ``plan(route:delayHeader:abortHeader:authorised:random:)`` decides what one
/// request gets, with the randomness passed in so the distribution is unit-tested.
public struct FaultInjection: Hashable, Sendable {
    /// `fault.delay`: hold the request for `nanos` before it goes upstream.
    public struct Delay: Hashable, Sendable {
        /// How long the request is held, in nanoseconds (1ms...1h).
        public let nanos: UInt64
        /// Which share of the route's requests is held.
        public let percentage: FaultPercentage

        /// Shortest and longest configurable delay (nanoseconds): 1ms and 1h.
        public static let limits: ClosedRange<UInt64> = 1_000_000...3_600_000_000_000

        /// - Throws: ``ResilienceConfigError`` naming `delay.duration` or `delay.percentage`.
        public init(nanos: UInt64, percentage: Double = 100) throws(ResilienceConfigError) {
            try ResilienceConfigError.check(nanos, in: Self.limits, key: "delay.duration")
            self.nanos = nanos
            self.percentage = try FaultPercentage(percentage, key: "delay.percentage")
        }
    }

    /// `fault.abort`: answer with `status` instead of contacting the upstream.
    public struct Abort: Hashable, Sendable {
        /// The status the client gets (200...599).
        public let status: UInt16
        /// Which share of the route's requests is aborted.
        public let percentage: FaultPercentage

        /// Statuses an abort may answer with: a final status. 1xx cannot end an exchange, and a
        /// status over 599 is not HTTP.
        public static let statuses: ClosedRange<Int> = 200...599

        /// - Throws: ``ResilienceConfigError`` naming `abort.status` or `abort.percentage`.
        public init(status: Int, percentage: Double = 100) throws(ResilienceConfigError) {
            try ResilienceConfigError.check(status, in: Self.statuses, key: "abort.status")
            self.status = UInt16(status)
            self.percentage = try FaultPercentage(percentage, key: "abort.percentage")
        }
    }

    public var delay: Delay?
    public var abort: Abort?

    /// A route's faults; a block with neither has nothing to do and is refused by the config.
    public init(delay: Delay? = nil, abort: Abort? = nil) {
        self.delay = delay
        self.abort = abort
    }
}

/// A percentage in 0...100 turned into a threshold for a 53-bit uniform draw.
///
/// Why 53 bits: every percentage written as a decimal keeps its precision (a `Double`'s
/// significand), 0 never fires and 100 always does, with no floating-point work per request.
public struct FaultPercentage: Hashable, Sendable {
    /// The configured percentage, 0...100.
    public let percent: Double
    /// A draw's top 53 bits must be below this (0: never; 2^53: always).
    public let threshold: UInt64

    static let range: UInt64 = 1 << 53

    /// - Throws: ``ResilienceConfigError`` naming `key` when not a finite number in 0...100.
    public init(_ percent: Double, key: String = "percentage") throws(ResilienceConfigError) {
        try ResilienceConfigError.checkFinite(percent, in: 0...100, key: key)
        self.percent = percent
        self.threshold = Swift.min(Self.range, UInt64(roundingHalfUp: percent / 100 * 0x1p53))
    }

    /// Always (the default when `percentage` is not written).
    public static let always = FaultPercentage(percent: 100, threshold: range)

    private init(percent: Double, threshold: UInt64) {
        self.percent = percent
        self.threshold = threshold
    }

    /// `true` when the fault applies to a request that drew `draw` (uniform 64-bit).
    @inline(__always)
    public func fires(draw: UInt64) -> Bool { draw >> 11 < threshold }

    /// `true` when the answer needs no draw (0 or 100 percent).
    @inline(__always)
    var isCertain: Bool { threshold == 0 || threshold == Self.range }

    /// Draws only when the answer is not certain, so a 100% fault costs no random number.
    @inline(__always)
    func roll<R: RandomNumberGenerator>(_ random: inout R) -> Bool {
        if threshold == 0 { return false }
        if threshold == Self.range { return true }
        return fires(draw: random.next())
    }
}
