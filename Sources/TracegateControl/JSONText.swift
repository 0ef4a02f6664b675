// JSONText: a small, fast JSON object writer for log lines.

/// Builds one JSON object as text, key by key, escaping per RFC 8259 §7. Log lines are built
/// with this instead of JSONSerialization because the access log runs for every request and
/// Foundation's serializer costs several times more per line.
struct JSONText {
    private(set) var text = "{"
    private var first = true

    init() { text.reserveCapacity(512) }

    private mutating func key(_ k: String) {
        if first { first = false } else { text += "," }
        text += "\""
        text += k
        text += "\":"
    }

    mutating func add(_ k: String, _ value: String) {
        key(k)
        JSONText.appendQuoted(value, to: &text)
    }

    mutating func add(_ k: String, _ value: Int) {
        key(k)
        text += String(value)
    }

    mutating func add(_ k: String, _ value: UInt64) {
        key(k)
        text += String(value)
    }

    mutating func add(_ k: String, _ value: Double) {
        key(k)
        text += value.isFinite ? String(value) : "null"
    }

    mutating func add(_ k: String, _ value: Bool) {
        key(k)
        text += value ? "true" : "false"
    }

    /// Adds an already-encoded JSON value (object or array).
    mutating func addRaw(_ k: String, _ json: String) {
        key(k)
        text += json
    }

    mutating func finish() -> String {
        text += "}"
        return text
    }

    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }
}
