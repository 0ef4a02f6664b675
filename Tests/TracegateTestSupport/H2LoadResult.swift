import Foundation

/// The summary of one `h2load` run.
public struct H2LoadResult: Sendable {
    /// h2load's exit code (0 even when requests failed: check `failed`/`errored`).
    public var exitCode: Int32
    /// The application protocol h2load negotiated ("h2c", "h2"); empty when no connection was made.
    public var applicationProtocol: String
    /// "requests: T total, S started, D done, OK succeeded, F failed, E errored, X timeout".
    public var total: Int
    public var started: Int
    public var done: Int
    public var succeeded: Int
    public var failed: Int
    public var errored: Int
    public var timedOut: Int
    /// Responses by status class: "2xx", "3xx", "4xx", "5xx".
    public var statusClasses: [String: Int]
    /// Throughput from the "finished in ..., N req/s, ..." line.
    public var requestsPerSecond: Double
    /// The whole stdout.
    public var output: String
    public var stderr: String

    /// Parses the summary lines:
    /// ```
    /// Application protocol: h2c
    /// finished in 143.69ms, 1391.91 req/s, 428.57KB/s
    /// requests: 200 total, 200 started, 200 done, 200 succeeded, 0 failed, 0 errored, 0 timeout
    /// status codes: 200 2xx, 0 3xx, 0 4xx, 0 5xx
    /// ```
    /// - Throws: `malformed` when the `requests:` or `finished in` line is missing.
    static func parse(exitCode: Int32, output: String, stderr: String) throws(TestSupportError) -> H2LoadResult {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func counts(_ prefix: String) -> [String: Int]? {
            guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
            var result = [String: Int]()
            for item in line.dropFirst(prefix.count).split(separator: ",") {
                let words = item.split(separator: " ")
                if words.count == 2, let value = Int(words[0]) { result[String(words[1])] = value }
            }
            return result
        }
        guard let requests = counts("requests:"), let total = requests["total"],
              let finished = lines.first(where: { $0.hasPrefix("finished in ") }) else {
            throw .malformed(what: "h2load output", detail: "no summary (exit \(exitCode)):\n\(output)\n\(stderr)")
        }
        let rate = finished.split(separator: ",").first { $0.hasSuffix(" req/s") }
            .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropLast(" req/s".count)) } ?? 0
        let application = lines.first { $0.hasPrefix("Application protocol:") }
            .map { $0.dropFirst("Application protocol:".count).trimmingCharacters(in: .whitespaces) } ?? ""
        return H2LoadResult(
            exitCode: exitCode,
            applicationProtocol: application,
            total: total,
            started: requests["started"] ?? 0,
            done: requests["done"] ?? 0,
            succeeded: requests["succeeded"] ?? 0,
            failed: requests["failed"] ?? 0,
            errored: requests["errored"] ?? 0,
            timedOut: requests["timeout"] ?? 0,
            statusClasses: counts("status codes:") ?? [:],
            requestsPerSecond: rate,
            output: output,
            stderr: stderr)
    }
}
