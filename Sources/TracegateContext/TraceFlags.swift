// TraceFlags.swift — the 8-bit trace-flags field.

/// `trace-flags` of `traceparent` (Trace Context, “trace-flags”).
///
/// Only `sampled` (Level 1) and `random` (Level 2, "random-trace-id") are defined; every other
/// bit is reserved and vendors MUST set it to zero, so the edge masks incoming flags with
/// ``known`` before propagating them.
public struct TraceFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The caller may have recorded trace data.
    public static let sampled = TraceFlags(rawValue: 0x01)
    /// At least the right-most 7 bytes of the trace id are uniformly random (Level 2).
    public static let random = TraceFlags(rawValue: 0x02)
    /// All flags defined so far.
    public static let known: TraceFlags = [.sampled, .random]
}
