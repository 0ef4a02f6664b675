// DebugRateLimiter.swift — token bucket bounding how often debug mode is honoured.

/// A token bucket: at most `maxPerSecond` grants per second, bursts up to one second's worth.
///
/// Why: an honoured debug request forces sampling and verbose handling everywhere downstream;
/// even valid tokens must not let one client turn that on for all of its traffic. The bucket
/// is per worker (the edge decider is worker-owned), so the proxy-wide rate is at most
/// `workers × maxPerSecond`. Time is injected in nanoseconds; integer arithmetic only.
public struct DebugRateLimiter: Sendable {
    /// Grants per second; `0` grants nothing.
    public let maxPerSecond: UInt32

    private static let unitsPerToken: UInt64 = 1_000_000_000
    /// Tokens in 1e-9 units, so refill needs no floating point.
    private var units: UInt64
    private var lastNanos: UInt64?

    /// A full bucket allowing `maxPerSecond` grants per second.
    public init(maxPerSecond: UInt32) {
        self.maxPerSecond = maxPerSecond
        self.units = UInt64(maxPerSecond) * Self.unitsPerToken
        self.lastNanos = nil
    }

    private var capacity: UInt64 { UInt64(maxPerSecond) * Self.unitsPerToken }

    /// Takes one grant if available at `nowNanos`. A clock that goes backwards refills nothing.
    public mutating func tryAcquire(nowNanos: UInt64) -> Bool {
        guard maxPerSecond > 0 else { return false }
        if let last = lastNanos {
            if nowNanos > last {
                // After one second the bucket is full anyway; capping keeps the product in range.
                let elapsed = min(nowNanos - last, Self.unitsPerToken)
                units = min(capacity, units + elapsed * UInt64(maxPerSecond))
                lastNanos = nowNanos
            }
        } else {
            lastNanos = nowNanos
        }
        guard units >= Self.unitsPerToken else { return false }
        units -= Self.unitsPerToken
        return true
    }
}
