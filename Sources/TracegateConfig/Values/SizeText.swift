// SizeText.swift — parsing config byte sizes ("64KiB", "1GiB", 65536).

/// Sizes in the configuration: a whole number of bytes (`65536`) or a whole number followed by
/// a unit: `B`, `KiB`, `MiB`, `GiB` (powers of 1024) or `KB`/`kB`, `MB`, `GB` (powers of 1000).
enum SizeText {
    /// The accepted units and their size in bytes.
    static let units: [(name: String, bytes: Int)] = [
        ("B", 1), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
        ("KB", 1_000), ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
    ]

    /// The hint shown for text that is not a size at all.
    static let expected = "expected a size such as 65536, \"64KiB\" or \"1GiB\""

    /// Parses `text` (see the type documentation).
    static func parse(_ text: String) throws(ValueSyntaxError) -> Int {
        let (number, unitText) = DurationText.splitNumber(text)
        guard let number else { throw ValueSyntaxError(expected) }
        guard number.fractionDigits.isEmpty else {
            throw ValueSyntaxError("size \"\(text)\" must be a whole number (use a smaller unit)")
        }
        var multiplier = 1
        if !unitText.isEmpty {
            guard let unit = units.first(where: { $0.name == unitText }) else {
                throw ValueSyntaxError(
                    "unknown size unit \"\(unitText)\" in \"\(text)\" (use B, KiB, MiB, GiB, KB, MB or GB)"
                )
            }
            multiplier = unit.bytes
        }
        let significant = number.integerDigits.drop(while: { $0 == "0" })
        guard significant.count <= 18, let value = Int(significant.isEmpty ? "0" : String(significant)) else {
            throw ValueSyntaxError("size \"\(text)\" is too large")
        }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw ValueSyntaxError("size \"\(text)\" is too large") }
        return bytes
    }

    /// Prints a byte count in the largest binary unit that represents it exactly (`64KiB`).
    static func format(_ bytes: Int) -> String {
        for (name, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes != 0 && bytes % size == 0 {
            return "\(bytes / size)\(name)"
        }
        return "\(bytes)"
    }
}
