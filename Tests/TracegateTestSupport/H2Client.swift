import Foundation

/// Real HTTP/2 clients the tests drive, with their output parsed: curl (what users run),
/// `nghttp -v` (every frame, so a test can assert on trailers, RST_STREAM, GOAWAY, SETTINGS) and
/// `h2load` (many streams over few connections). Each throws `toolMissing` when its tool is not
/// installed (a failure, never a skip; `scripts/test.sh` installs `curl` and `nghttp2-client`).
public enum H2Client {
    /// One request with curl over HTTP/2: `--http2-prior-knowledge` for `http://` URLs (h2c, RFC
    /// 9113 §3.3), `--http2` (ALPN) for `https://`, verified against `caCertificate` when given
    /// (`--cacert`; without it the system CAs apply). The negotiated version lands in `writeOut`
    /// (`-w '%{http_version}'`: "2" for HTTP/2, "1.1" after an ALPN fallback).
    /// - Parameters: as `Curl.request`.
    /// - Throws: `toolMissing` without curl, `timedOut` if curl itself hangs.
    public static func curl(
        url: String,
        method: String? = nil,
        headers: [(String, String)] = [],
        body: Data? = nil,
        bodyFile: String? = nil,
        caCertificate: String? = nil,
        extraArguments: [String] = [],
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> CurlResult {
        var arguments = ["-w", "%{http_version}"]
        if let caCertificate { arguments += ["--cacert", caCertificate] }
        return try Curl.request(
            url: url, method: method, headers: headers, body: body, bodyFile: bodyFile,
            extraArguments: arguments + extraArguments,
            httpVersion: url.hasPrefix("https://") ? .http2 : .http2PriorKnowledge,
            timeout: timeout)
    }

    /// Runs `nghttp -nv` (frames logged, bodies discarded) for `urls`, which share one connection
    /// as concurrent streams, and parses the frame log.
    /// - Parameters:
    ///   - headers: added with `-H "name: value"` (`:authority` and `:method`... override).
    ///   - dataFile: uploaded as the request body of every URL (`-d`, makes the method POST).
    ///   - extraArguments: e.g. `["--no-dep"]`, `["-w", "16"]` (window bits), `["-t", "5"]`.
    /// - Throws: `toolMissing` without nghttp, `timedOut`.
    public static func nghttp(
        urls: [String],
        headers: [(String, String)] = [],
        dataFile: String? = nil,
        extraArguments: [String] = [],
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> NghttpResult {
        let nghttp = try ExternalTool.require("nghttp")
        var arguments = ["-n", "-v"]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let dataFile { arguments += ["-d", dataFile] }
        arguments += extraArguments + urls
        let result = try ExternalTool.run(nghttp, arguments, timeout: timeout)
        return NghttpResult.parse(exitCode: result.status, output: result.stdoutText, stderr: result.stderr)
    }

    /// `nghttp -nv` for one URL.
    public static func nghttp(
        url: String,
        headers: [(String, String)] = [],
        dataFile: String? = nil,
        extraArguments: [String] = [],
        timeout: Duration = .seconds(30)
    ) throws(TestSupportError) -> NghttpResult {
        try nghttp(urls: [url], headers: headers, dataFile: dataFile, extraArguments: extraArguments, timeout: timeout)
    }

    /// Runs `h2load -n requests -c clients -m streams url` (h2c prior knowledge for `http://`,
    /// ALPN h2 for `https://`, certificates not verified) and parses its summary.
    /// - Throws: `toolMissing` without h2load, `timedOut`, `malformed` when the summary lines are
    ///   missing (h2load crashed or printed usage).
    public static func h2load(
        url: String,
        requests: Int,
        clients: Int = 1,
        streams: Int = 1,
        extraArguments: [String] = [],
        timeout: Duration = .seconds(120)
    ) throws(TestSupportError) -> H2LoadResult {
        let h2load = try ExternalTool.require("h2load")
        let arguments = ["-n", String(requests), "-c", String(clients), "-m", String(streams)] + extraArguments + [url]
        let result = try ExternalTool.run(h2load, arguments, timeout: timeout)
        return try H2LoadResult.parse(exitCode: result.status, output: result.stdoutText, stderr: result.stderr)
    }
}
