// MonotonicTime.swift — deadlines on CLOCK_MONOTONIC.
import CTracegateShims

/// A point on `CLOCK_MONOTONIC` in nanoseconds: deadlines must not move when the wall clock is
/// stepped, and `poll` needs them as relative milliseconds.
struct MonotonicTime: Comparable, Sendable {
    var nanoseconds: UInt64

    static var now: MonotonicTime { MonotonicTime(nanoseconds: tg_monotonic_ns()) }

    static func after(_ duration: Duration) -> MonotonicTime {
        now.adding(duration)
    }

    func adding(_ duration: Duration) -> MonotonicTime {
        MonotonicTime(nanoseconds: nanoseconds &+ Self.nanoseconds(of: duration))
    }

    var hasPassed: Bool { Self.now >= self }

    /// Milliseconds left, rounded up (so a poll never returns just before the deadline), capped for
    /// `poll`'s `Int32`; 0 once passed.
    var remainingMilliseconds: Int32 {
        let now = tg_monotonic_ns()
        guard nanoseconds > now else { return 0 }
        return Int32(clamping: (nanoseconds - now + 999_999) / 1_000_000)
    }

    static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Non-negative nanoseconds of `duration`, saturating.
    static func nanoseconds(of duration: Duration) -> UInt64 {
        let parts = duration.components
        if parts.seconds < 0 { return 0 }
        let (seconds, overflow) = UInt64(parts.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return UInt64.max / 2 }
        return seconds + UInt64(max(0, parts.attoseconds) / 1_000_000_000)
    }
}
