/// A parsed HTTP/1.x message head: the start line and the ordered header fields.
///
/// Shared by the origin fixture (requests), the raw client (responses) and the curl helper
/// (`-D` dumps). Deliberately lenient (bare LF, no validation of token characters): the
/// fixtures record what the proxy sent so the test can judge it, they are not the judge.
/// Field lines are split at the first colon and the value trimmed of SP/HTAB (RFC 9112 §5).
public struct HTTPHead: Sendable {
    /// The first line, without its line end.
    public var startLine: String
    /// Field lines in arrival order, names as received.
    public var headers: [(name: String, value: String)]

    /// Parses a head (with or without its final empty line). Returns `nil` for an empty head
    /// or a field line without a colon (obsolete line folding included).
    public init?(bytes: [UInt8]) {
        var lines = [String]()
        var lineStart = 0
        for index in bytes.indices where bytes[index] == 10 {
            var lineEnd = index
            if lineEnd > lineStart, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            lines.append(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
            lineStart = index + 1
        }
        if lineStart < bytes.count {
            lines.append(String(decoding: bytes[lineStart...], as: UTF8.self))
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let first = lines.first else { return nil }
        startLine = first
        headers = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), line.first != " ", line.first != "\t" else { return nil }
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingHTTPWhitespace()
            headers.append((name: name, value: value))
        }
    }

    /// The first value of `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The start line split at single spaces into at most three parts (the last keeps spaces,
    /// as a reason phrase may).
    var startLineParts: [String] {
        startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    }
}

extension String {
    /// Drops leading and trailing SP and HTAB (HTTP's OWS), nothing else.
    func trimmingHTTPWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    /// The comma-separated, trimmed, lowercased members of a list-valued field.
    func httpListMembers() -> [String] {
        split(separator: ",").map { String($0).trimmingHTTPWhitespace().lowercased() }.filter { !$0.isEmpty }
    }
}
