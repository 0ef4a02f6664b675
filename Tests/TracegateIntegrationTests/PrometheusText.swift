// PrometheusText: a strict-enough reader of the Prometheus text exposition format 0.0.4, so the
// tests can both validate /metrics and read counters from it without promtool.

/// The samples and family metadata of one scrape.
struct PrometheusText {
    /// Why a scrape is not valid exposition text.
    struct FormatError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// `name{labels}` exactly as printed (no labels: just `name`) → value.
    var samples: [String: Double]
    /// Family name → TYPE.
    var families: [String: String]

    /// The value of `name` with the label set `labels` (e.g. `error="no_route"`), or `nil`.
    func value(_ name: String, _ labels: String = "") -> Double? {
        samples[labels.isEmpty ? name : "\(name){\(labels)}"]
    }

    /// The sum of every sample whose name is `name` (any labels).
    func sum(_ name: String) -> Double {
        samples.filter { $0.key == name || $0.key.hasPrefix(name + "{") }.values.reduce(0, +)
    }

    /// Family names containing `fragment`.
    func familyNames(containing fragment: String) -> [String] {
        families.keys.filter { $0.contains(fragment) }.sorted()
    }

    /// Parses and validates: `# HELP name text`, `# TYPE name counter|gauge|histogram|summary|untyped`
    /// before the family's samples, metric and label names from `[a-zA-Z_:][a-zA-Z0-9_:]*`, label
    /// values double-quoted, values as Go floats, no sample repeated. With `strict: false` (for
    /// reading counters in tests about something else) bad lines are skipped and repeated samples
    /// summed, so one exposition bug does not fail every test that reads a counter.
    static func parse(_ text: String, strict: Bool = true) throws(FormatError) -> PrometheusText {
        var samples = [String: Double]()
        var families = [String: String]()
        var helped = Set<String>()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do throws(FormatError) {
                try parseLine(String(raw), number: index + 1, samples: &samples, families: &families, helped: &helped)
            } catch {
                if strict { throw error }
                if error.reason.hasPrefix("duplicate sample"), let (key, value) = sample(String(raw)) { samples[key, default: 0] += value }
            }
        }
        if strict {
            for family in families.keys where !helped.contains(family) {
                throw FormatError(line: 0, reason: "family \(family) has TYPE but no HELP")
            }
        }
        return PrometheusText(samples: samples, families: families)
    }

    /// The key and value of a sample line, unchecked.
    static func sample(_ line: String) -> (String, Double)? {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
        return (String(line[..<space]), value)
    }

    static func parseLine(
        _ line: String, number: Int, samples: inout [String: Double], families: inout [String: String], helped: inout Set<String>
    ) throws(FormatError) {
        if line.isEmpty { return }
        if line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3 else { return }  // a plain comment
            if parts[1] == "HELP" {
                guard isMetricName(parts[2]) else { throw FormatError(line: number, reason: "bad HELP name \(parts[2])") }
                helped.insert(parts[2])
            } else if parts[1] == "TYPE" {
                guard parts.count == 4, isMetricName(parts[2]),
                      ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw FormatError(line: number, reason: "bad TYPE line")
                }
                guard families[parts[2]] == nil else { throw FormatError(line: number, reason: "second TYPE for \(parts[2])") }
                families[parts[2]] = parts[3]
            }
            return
        }
        guard let space = line.lastIndex(of: " ") else { throw FormatError(line: number, reason: "no value") }
        let key = String(line[..<space])
        let valueText = String(line[line.index(after: space)...])
        guard let value = Double(valueText) ?? ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan][valueText] else {
            throw FormatError(line: number, reason: "bad value \(valueText)")
        }
        let name = String(key.prefix { $0 != "{" })
        guard isMetricName(name) else { throw FormatError(line: number, reason: "bad metric name \(name)") }
        if key.count > name.count {
            guard key.hasSuffix("}"), validLabels(String(key.dropFirst(name.count + 1).dropLast())) else {
                throw FormatError(line: number, reason: "bad labels in \(key)")
            }
        }
        let family = families[name] != nil ? name : ["_total", "_count", "_sum", "_bucket"]
            .first { name.hasSuffix($0) && families[String(name.dropLast($0.count))] != nil }
            .map { String(name.dropLast($0.count)) } ?? name
        guard families[family] != nil else { throw FormatError(line: number, reason: "sample \(name) before its TYPE") }
        guard samples[key] == nil else { throw FormatError(line: number, reason: "duplicate sample \(key)") }
        samples[key] = value
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    /// `a="x",b="y"` with escapes `\\`, `\"`, `\n` inside values.
    static func validLabels(_ text: String) -> Bool {
        var rest = Substring(text)
        while !rest.isEmpty {
            let name = rest.prefix { $0 != "=" }
            guard isMetricName(String(name)), !name.contains(":") else { return false }
            rest = rest.dropFirst(name.count)
            guard rest.hasPrefix("=\"") else { return false }
            rest = rest.dropFirst(2)
            var closed = false
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == "\\" { guard let next = rest.first, "\\\"n".contains(next) else { return false }; rest = rest.dropFirst(); continue }
                if c == "\"" { closed = true; break }
            }
            guard closed else { return false }
            if rest.hasPrefix(",") { rest = rest.dropFirst() } else if !rest.isEmpty { return false }
        }
        return true
    }
}
