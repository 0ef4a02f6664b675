// DurationText.swift — parsing and printing config durations ("250ms", "1.5s", "30m", "1h").

/// Durations in the configuration: a decimal number followed by `ms`, `s`, `m` or `h`
/// (`"250ms"`, `"1.5s"`, `"30m"`, `"1h"`), or a plain integer meaning seconds (`30`).
///
/// Arithmetic is done in integer nanoseconds so that `"0.1s"` is exactly 100 ms (no binary
/// floating point). Digits finer than a nanosecond are ignored.
enum DurationText {
    /// The accepted units and their length in nanoseconds.
    static let units: [(name: String, nanoseconds: Int64)] = [
        ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// The hint shown for text that is not a duration at all.
    static let expected = "expected a duration such as \"250ms\", \"1.5s\", \"30m\" or an integer number of seconds"

    /// Upper bound of any duration we parse (100 000 hours), to keep the nanosecond arithmetic
    /// far from overflow; each key applies its own, much smaller, limit on top.
    static let maximumNanoseconds: Int64 = 100_000 * 3_600_000_000_000

    /// Parses `text` (see the type documentation).
    static func parse(_ text: String) throws(ValueSyntaxError) -> Duration {
        let (number, unitText) = splitNumber(text)
        guard let number else { throw ValueSyntaxError(expected) }
        if unitText.isEmpty {
            guard number.fractionDigits.isEmpty else {
                throw ValueSyntaxError("missing unit in \"\(text)\" (use ms, s, m or h)")
            }
            return try make(number, unitNanoseconds: 1_000_000_000, text: text)
        }
        guard let unit = units.first(where: { $0.name == unitText }) else {
            throw ValueSyntaxError("unknown duration unit \"\(unitText)\" in \"\(text)\" (use ms, s, m or h)")
        }
        return try make(number, unitNanoseconds: unit.nanoseconds, text: text)
    }

    /// Whole seconds from a YAML integer.
    static func seconds(_ value: Int) throws(ValueSyntaxError) -> Duration {
        guard value >= 0 else { throw ValueSyntaxError("must not be negative") }
        guard value <= Int(maximumNanoseconds / 1_000_000_000) else {
            throw ValueSyntaxError("duration \(value)s is too large")
        }
        return .seconds(value)
    }

    /// Prints a duration in the largest unit that represents it exactly: `30s`, `250ms`, `1h`,
    /// `1.5s`. Used in error messages and documentation.
    static func format(_ duration: Duration) -> String {
        let nanos = nanoseconds(duration)
        if nanos == 0 { return "0s" }
        for unit in units.reversed() where nanos % unit.nanoseconds == 0 {
            return "\(nanos / unit.nanoseconds)\(unit.name)"
        }
        var fraction = String(nanos % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(nanos / 1_000_000_000).\(fraction)s"
    }

    /// Total nanoseconds of a duration (saturating; config durations are far below the limit).
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return product + attoseconds / 1_000_000_000
    }

    // MARK: - Private

    struct Number {
        var integerDigits: Substring
        var fractionDigits: Substring
    }

    /// Splits `"1.5 s"` into the number `1.5` and the unit `s` (whitespace between is allowed).
    static func splitNumber(_ text: String) -> (Number?, String) {
        let integerDigits = text.prefix(while: { $0.isASCII && $0.isNumber })
        var rest = text[integerDigits.endIndex...]
        var fractionDigits: Substring = ""
        if rest.first == "." {
            fractionDigits = rest.dropFirst().prefix(while: { $0.isASCII && $0.isNumber })
            rest = rest[fractionDigits.endIndex...]
            if fractionDigits.isEmpty { return (nil, "") }
        }
        guard !integerDigits.isEmpty else { return (nil, "") }
        let unit = String(rest.drop(while: { $0 == " " }))
        return (Number(integerDigits: integerDigits, fractionDigits: fractionDigits), unit)
    }

    private static func make(
        _ number: Number,
        unitNanoseconds: Int64,
        text: String
    ) throws(ValueSyntaxError) -> Duration {
        let tooLarge = ValueSyntaxError("duration \"\(text)\" is too large")
        let significant = number.integerDigits.drop(while: { $0 == "0" })
        guard significant.count <= 12, let whole = Int64(significant.isEmpty ? "0" : String(significant)) else {
            throw tooLarge
        }
        let (wholeNanos, overflow) = whole.multipliedReportingOverflow(by: unitNanoseconds)
        guard !overflow, wholeNanos <= maximumNanoseconds else { throw tooLarge }
        // Fraction: digits d1 d2 ... of the unit; add d_k * unit / 10^k (integer division).
        var fractionNanos: Int64 = 0
        var scale = unitNanoseconds
        for digit in number.fractionDigits {
            scale /= 10
            if scale == 0 { break }
            fractionNanos += Int64(digit.wholeNumberValue ?? 0) * scale
        }
        return .nanoseconds(wholeNanos + fractionNanos)
    }
}
