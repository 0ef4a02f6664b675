// MetricsWriter: metric families as Prometheus text 0.0.4 or OpenMetrics 1.0.0.
import TracegateDataPlane

/// Writes families and samples in one dialect, so the rest of the renderer never branches on it.
///
/// The dialects differ in a few places only: OpenMetrics declares a counter family without its
/// `_total` suffix in `# TYPE`/`# HELP` (the sample keeps it), may declare `# UNIT`, escapes `"`
/// in HELP text, carries exemplars on histogram buckets, and ends with `# EOF`. Prometheus text
/// gets no exemplars at all: its 0.0.4 parser rejects them.
struct MetricsWriter {
    enum Kind: String {
        case counter, gauge, histogram
    }

    typealias Labels = [(name: String, value: String)]

    let dialect: MetricsDialect
    private(set) var text = ""

    init(dialect: MetricsDialect) {
        self.dialect = dialect
        text.reserveCapacity(64 * 1024)
    }

    /// Declares a family. `name` is the sample name: counters end in `_total`; `unit` is written in
    /// OpenMetrics only and must end the name (`seconds` for `…_seconds`).
    mutating func family(_ name: String, _ kind: Kind, help: String, unit: String? = nil) {
        precondition(kind != .counter || name.hasSuffix("_total"), "counter \(name) must end in _total")
        let declared = dialect == .openMetrics && kind == .counter ? String(name.dropLast("_total".count)) : name
        text += "# HELP \(declared) \(escapeHelp(help))\n# TYPE \(declared) \(kind.rawValue)\n"
        if dialect == .openMetrics, let unit { text += "# UNIT \(declared) \(unit)\n" }
    }

    mutating func sample(_ name: String, _ labels: Labels = [], _ value: UInt64) {
        text += "\(name)\(Self.render(labels)) \(value)\n"
    }

    /// A duration histogram: cumulative buckets (exemplars in OpenMetrics), `_sum` in seconds, `_count`.
    mutating func histogram(_ name: String, _ labels: Labels, _ reading: HistogramReading) {
        var cumulative: UInt64 = 0
        for i in 0..<DurationBuckets.count {
            cumulative &+= reading.buckets[i]
            text += "\(name)_bucket\(Self.render(labels + [("le", DurationBuckets.labels[i])])) \(cumulative)"
            if dialect == .openMetrics, let e = reading.exemplars[i] { text += Self.exemplar(e) }
            text += "\n"
        }
        text += "\(name)_sum\(Self.render(labels)) \(Self.seconds(reading.sumNanos))\n"
        text += "\(name)_count\(Self.render(labels)) \(cumulative)\n"
    }

    /// The finished exposition (`# EOF` ends an OpenMetrics one).
    mutating func finish() -> String {
        if dialect == .openMetrics { text += "# EOF\n" }
        return text
    }

    /// ` # {trace_id="…",span_id="…"} <value> <timestamp>`: ids as lowercase hex, value in
    /// seconds, timestamp in seconds since the epoch with millisecond precision.
    static func exemplar(_ e: Exemplar) -> String {
        let trace = hex(e.traceHi, digits: 16) + hex(e.traceLo, digits: 16)
        let millis = e.wallNanos / 1_000_000
        let fraction = String(millis % 1000)
        let timestamp = "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
        return " # {trace_id=\"\(trace)\",span_id=\"\(hex(e.spanID, digits: 16))\"} \(seconds(e.valueNanos)) \(timestamp)"
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Nanoseconds as a decimal number of seconds (shortest form that reads back exactly).
    static func seconds(_ nanos: UInt64) -> String {
        "\(Double(nanos) / 1e9)"
    }

    static func render(_ labels: Labels) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, quote and newline (both dialects).
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// HELP text escapes backslash and newline, and in OpenMetrics also the quote.
    func escapeHelp(_ help: String) -> String {
        var out = ""
        for c in help.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where dialect == .openMetrics: out += "\\\""
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
