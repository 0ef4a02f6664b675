// TestSupport.swift — a manual clock, a seeded generator and time units for the resilience tests.

import TracegateResilience

/// Milliseconds in nanoseconds.
let ms: UInt64 = 1_000_000
/// Seconds in nanoseconds.
let sec: UInt64 = 1_000_000_000

/// A clock the test advances by hand: a plain `UInt64` of nanoseconds, as the worker passes.
struct ManualClock {
    private(set) var now: UInt64

    init(start: UInt64 = 1_000 * sec) {
        now = start
    }

    mutating func advance(by nanoseconds: UInt64) {
        now += nanoseconds
    }
}

/// SplitMix64 (Steele, Lea, Flood): a tiny seeded generator, so every "random" test is the same
/// run every time.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs `body` and returns the `ResilienceConfigError` it threw, or `nil` if it threw nothing
/// (or, which fails the callers' key checks, another error).
func configError(_ body: () throws -> Void) -> ResilienceConfigError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ResilienceConfigError
    }
}
