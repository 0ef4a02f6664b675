// FaultHeaders.swift — the per-request fault headers: names, bounds and value grammar.

/// The per-request fault headers: names and value grammar.
public enum FaultHeaders {
    /// Holds the request this many milliseconds (decimal digits, 0...``maxDelayMillis``).
    public static let delayName = "x-tracegate-fault-delay-ms"
    /// Answers with this status (three digits, 200...599) without contacting the upstream.
    public static let abortName = "x-tracegate-fault-abort"
    /// The longest delay a header may ask for: one minute. A rehearsal longer than that is a
    /// route setting (reviewed, reloaded), not something one request can ask for.
    public static let maxDelayMillis: UInt64 = 60_000

    /// The delay of a `x-tracegate-fault-delay-ms` value, or nil when it is not 1 to 5 decimal
    /// digits (optional surrounding whitespace) worth at most ``maxDelayMillis``.
    public static func delayMillis(_ value: UnsafeRawBufferPointer) -> UInt64? {
        guard let n = digits(value, maxCount: 5), n <= maxDelayMillis else { return nil }
        return n
    }

    /// The status of a `x-tracegate-fault-abort` value, or nil when it is not three decimal
    /// digits (optional surrounding whitespace) in 200...599.
    public static func abortStatus(_ value: UnsafeRawBufferPointer) -> UInt16? {
        guard let n = digits(value, maxCount: 3), FaultInjection.Abort.statuses.contains(Int(n)) else { return nil }
        return UInt16(n)
    }

    /// The decimal value of 1...`maxCount` digits between optional spaces and tabs.
    static func digits(_ value: UnsafeRawBufferPointer, maxCount: Int) -> UInt64? {
        var start = 0
        var end = value.count
        while start < end && (value[start] == 0x20 || value[start] == 0x09) { start += 1 }
        while end > start && (value[end - 1] == 0x20 || value[end - 1] == 0x09) { end -= 1 }
        guard end > start && end - start <= maxCount else { return nil }
        var n: UInt64 = 0
        for i in start..<end {
            let b = value[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + UInt64(b - 0x30)
        }
        return n
    }
}
