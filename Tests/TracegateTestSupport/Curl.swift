import Foundation

/// What one curl invocation produced.
public struct CurlResult: Sendable {
    /// curl's exit code (0 on a completed transfer; e.g. 52 empty reply, 56 receive error).
    public var exitCode: Int32
    /// Final status code; 0 when no response head arrived.
    public var status: Int
    /// Protocol of the final response as curl printed it, e.g. "HTTP/1.1" or "HTTP/2".
    public var version: String
    /// Final response header fields in order.
    public var headers: [(name: String, value: String)]
    /// Status codes of interim 1xx responses that preceded the final one.
    public var informational: [Int]
    /// Trailer fields, when curl reported any.
    public var trailers: [(name: String, value: String)]
    /// The response body as received (curl decodes chunked framing).
    public var body: Data
    /// curl's stderr (`-sS` keeps only errors).
    public var stderr: String
    /// What curl printed on stdout: the `-w`/`--write-out` text when one was passed in
    /// `extraArguments` (the body goes to a file), e.g. "2" for `-w '%{http_version}'`.
    public var writeOut: String = ""

    /// The first value of `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The body decoded as UTF-8.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, or `nil`.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

/// Thin helpers over the real `curl` client (a real client is the project's rule for
/// integration tests; curl's behaviour is what users will see).
public enum Curl {
    /// The protocol curl is told to use.
    public enum HTTPVersion: Sendable {
        case http1_0, http1_1
        /// HTTP/2 via TLS ALPN (`--http2`).
        case http2
        /// Cleartext HTTP/2 without upgrade (`--http2-prior-knowledge`).
        case http2PriorKnowledge

        var flag: String {
            switch self {
            case .http1_0: "--http1.0"
            case .http1_1: "--http1.1"
            case .http2: "--http2"
            case .http2PriorKnowledge: "--http2-prior-knowledge"
            }
        }
    }

    /// Runs one request with `curl -sS` and parses what came back.
    ///
    /// - Parameters:
    ///   - method: `nil` lets curl choose (GET, or POST with a body); "HEAD" uses `--head`.
    ///   - headers: sent as `-H "Name: value"`; an empty value is sent as such (`Name;`).
    ///   - body: request body, streamed to curl's stdin (`--data-binary @-`).
    ///   - bodyFile: request body from a file (`--data-binary @path`), for large uploads.
    ///   - extraArguments: appended before the URL (e.g. `["--limit-rate", "1k"]`, `["-k"]`).
    ///   - interface: source address to bind (`--interface 127.0.0.2`) for untrusted-peer tests.
    ///   - timeout: passed as `--max-time`; the process is killed a little later if it hangs.
    /// The configuration file and proxy environment variables are ignored (`-q`,
    /// `--noproxy *`), and the path is sent as given (`--path-as-is`).
    /// - Throws: `toolMissing` without curl, `timedOut` if curl itself hangs.
    public static func request(
        url: String,
        method: String? = nil,
        headers: [(String, String)] = [],
        body: Data? = nil,
        bodyFile: String? = nil,
        extraArguments: [String] = [],
        httpVersion: HTTPVersion = .http1_1,
        interface: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> CurlResult {
        let curl = try ExternalTool.require("curl")
        let directory = try TempDir(prefix: "curl")
        let headerFile = directory.file("headers")
        let bodyOutput = directory.file("body")
        let seconds = max(1, Int(timeout.components.seconds))
        var arguments = ["-q", "-sS", "--noproxy", "*", "--path-as-is", httpVersion.flag,
                         "-D", headerFile, "-o", bodyOutput, "--max-time", String(seconds)]
        if let method {
            arguments += method == "HEAD" ? ["--head"] : ["-X", method]
        }
        for (name, value) in headers {
            arguments += ["-H", value.isEmpty ? "\(name);" : "\(name): \(value)"]
        }
        if body != nil { arguments += ["--data-binary", "@-"] }
        if let bodyFile { arguments += ["--data-binary", "@\(bodyFile)"] }
        if let interface { arguments += ["--interface", interface] }
        arguments += extraArguments
        arguments.append(url)
        let result = try ExternalTool.run(curl, arguments, stdin: body, timeout: timeout + .seconds(10))
        let dump = FileManager.default.contents(atPath: headerFile) ?? Data()
        let parsed = parseHeaderDump([UInt8](dump))
        return CurlResult(
            exitCode: result.status,
            status: parsed.status,
            version: parsed.version,
            headers: parsed.headers,
            informational: parsed.informational,
            trailers: parsed.trailers,
            // With --head curl writes the head to the output file too; a HEAD has no body.
            body: method == "HEAD" ? Data() : FileManager.default.contents(atPath: bodyOutput) ?? Data(),
            stderr: result.stderr,
            writeOut: result.stdoutText)
    }

    /// A GET (or another method) with the common options.
    public static func get(_ url: String, headers: [(String, String)] = [], httpVersion: HTTPVersion = .http1_1, interface: String? = nil) throws(TestSupportError) -> CurlResult {
        try request(url: url, headers: headers, httpVersion: httpVersion, interface: interface)
    }

    /// What `-D` wrote: one block per response head (interim 1xx first, then the final
    /// one), then possibly a block of trailer fields (no status line).
    static func parseHeaderDump(_ bytes: [UInt8]) -> (status: Int, version: String, headers: [(name: String, value: String)], informational: [Int], trailers: [(name: String, value: String)]) {
        var blocks = [[UInt8]]()
        var current = [UInt8]()
        var lineStart = 0
        for index in bytes.indices where bytes[index] == 10 {
            let line = bytes[lineStart...index]
            lineStart = index + 1
            let isEmpty = line.count == 1 || (line.count == 2 && line.first == 13)
            if isEmpty {
                if !current.isEmpty { blocks.append(current) }
                current = []
            } else {
                current.append(contentsOf: line)
            }
        }
        if !current.isEmpty { blocks.append(current) }
        var status = 0
        var version = ""
        var headers: [(name: String, value: String)] = []
        var informational = [Int]()
        var trailers: [(name: String, value: String)] = []
        for block in blocks {
            if block.starts(with: Array("HTTP/".utf8)), let head = HTTPHead(bytes: block) {
                let parts = head.startLineParts
                let code = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                if status != 0, (100..<200).contains(status) { informational.append(status) }
                status = code
                version = parts.first ?? ""
                headers = head.headers
            } else if let fields = HTTPHead(bytes: Array("x\n".utf8) + block) {
                trailers += fields.headers
            }
        }
        return (status, version, headers, informational, trailers)
    }
}
