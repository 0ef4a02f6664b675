import Foundation

/// The HTTP/2 denial-of-service patterns, sent by `Tests/Fixtures/h2_flood.py` over one raw
/// connection, so a test can check that a server (the proxy) defends itself and stays up.
///
/// The script always ends with a PING carrying `tgalive!`: `aliveAfter` says the server processed
/// everything before it and still serves the connection. It refuses non-loopback targets.
public enum H2Flood {
    /// The Python module the script needs, and the PyPI package that provides it.
    public static let pythonModule = (module: "h2", pipPackage: "h2")

    /// What to send (the script's `--mode`).
    public enum Mode: String, Sendable, CaseIterable {
        /// `count` (default 10) well-formed GETs within the server's concurrency limit, every
        /// response read, then GOAWAY(NO_ERROR): proves the script's frames are valid.
        case benign
        /// `count` (1000) HEADERS each followed at once by RST_STREAM(CANCEL) (CVE-2023-44487).
        case rapidReset = "rapid-reset"
        /// `count` (5000) empty SETTINGS frames without reading the ACKs (CVE-2019-9515).
        case settingsFlood = "settings-flood"
        /// `count` (5000) PING frames without reading the ACKs (CVE-2019-9512).
        case pingFlood = "ping-flood"
        /// `count` (1) requests that insert a 4,058-byte `x-bomb` value into the HPACK dynamic
        /// table and reference it `references` (1000) times: ~4 MiB decoded per request.
        case hpackBomb = "hpack-bomb"
        /// One request whose header list (RFC 9113 §6.5.2 size) exceeds `size` (100000) bytes.
        case headerOverflow = "header-overflow"
        /// After the server's SETTINGS, `count` (200) streams at once, ignoring its
        /// SETTINGS_MAX_CONCURRENT_STREAMS: the excess must be refused (RST_STREAM REFUSED_STREAM)
        /// or end the connection (GOAWAY PROTOCOL_ERROR), RFC 9113 §5.1.2.
        case streamLimit = "stream-limit"
    }

    /// Runs the script once against `target` ("127.0.0.1:PORT") and decodes its report.
    /// - Parameters:
    ///   - count: requests or frames (nil: the mode's default).
    ///   - references: hpack-bomb references per request.
    ///   - size: header-overflow header list size to exceed.
    ///   - tls: TLS with ALPN h2; `caCertificate` verifies the server (none: no verification).
    ///   - receiveBuffer: SO_RCVBUF of the client socket (the non-reading floods default to 4096
    ///     so the server's ACKs back up in the server).
    ///   - timeout: how long the script waits for the server's reaction (and for a stalled write).
    /// - Throws: `pythonModuleMissing` without `h2`, `fixtureFailed` when the script crashes or
    ///   cannot connect (the message carries its report), `malformed`, `timedOut`.
    public static func run(
        target: String,
        mode: Mode,
        count: Int? = nil,
        references: Int? = nil,
        size: Int? = nil,
        path: String = "/",
        authority: String? = nil,
        tls: Bool = false,
        caCertificate: String? = nil,
        receiveBuffer: Int? = nil,
        timeout: Duration = .seconds(10)
    ) throws(TestSupportError) -> H2FloodResult {
        var arguments = ["--target", target, "--mode", mode.rawValue, "--path", path,
                         "--timeout", String(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)]
        if let count { arguments += ["--count", String(count)] }
        if let references { arguments += ["--references", String(references)] }
        if let size { arguments += ["--size", String(size)] }
        if let authority { arguments += ["--authority", authority] }
        if tls { arguments.append("--tls") }
        if let caCertificate { arguments += ["--ca", caCertificate] }
        if let receiveBuffer { arguments += ["--receive-buffer", String(receiveBuffer)] }
        // The script may spend `timeout` on a stalled write and again on the server's reaction.
        let result = try PythonFixtureProcess.run(
            script: PythonFixtureProcess.scriptPath("h2_flood.py"), arguments: arguments,
            module: pythonModule, timeout: timeout * 3 + .seconds(30))
        let line = result.stdoutText.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? ""
        return try PythonFixtureProcess.decode(H2FloodResult.self, line, what: "h2_flood.py report (stderr: \(result.stderr))")
    }
}

/// What `h2_flood.py` sent and how the server reacted.
public struct H2FloodResult: Sendable, Decodable {
    /// The mode's script name ("rapid-reset"...).
    public var mode: String
    /// Frames completely written (the connection preface is not a frame).
    public var framesSent: Int
    /// Frames written, by type name ("HEADERS", "RST_STREAM", "SETTINGS", "PING"...).
    public var framesSentByType: [String: Int]
    /// Bytes written, preface included.
    public var bytesSent: Int
    /// Frames read from the server, by type name, counted independently of h2's state machine.
    public var framesReceivedByType: [String: Int]
    /// Whether the server sent GOAWAY.
    public var goawayReceived: Bool
    /// The GOAWAY error code (RFC 9113 §7), e.g. 11.
    public var goawayErrorCode: Int?
    /// Its name, e.g. "ENHANCE_YOUR_CALM", "PROTOCOL_ERROR", "INTERNAL_ERROR".
    public var goawayErrorName: String?
    /// The GOAWAY's last-stream-id.
    public var goawayLastStreamID: Int?
    /// The GOAWAY's debug data as text.
    public var goawayDebugData: String?
    /// The highest stream id the script opened (0 when none).
    public var lastStreamID: Int
    /// Whether the server closed the connection (EOF or reset).
    public var serverClosed: Bool
    /// Whether the close was a TCP reset.
    public var connectionReset: Bool
    /// The exception name of a failed write ("BrokenPipeError"...), if the server went away while
    /// the script was still sending.
    public var writeError: String?
    /// Whether a write made no progress for the whole timeout (the server stopped reading).
    public var writeStalled: Bool
    /// Whether the final PING was answered: the server survived and still serves the connection.
    public var aliveAfter: Bool
    /// Complete responses by status code ("200": 10).
    public var responses: [String: Int]
    /// Number of complete responses.
    public var responsesReceived: Int
    /// RST_STREAM frames from the server, by error code name.
    public var streamsResetByServer: [String: Int]
    /// Response body bytes received.
    public var responseBytes: Int
    /// The server's first SETTINGS frame by setting name ("SETTINGS_MAX_CONCURRENT_STREAMS": 100),
    /// `nil` if none arrived.
    public var serverSettings: [String: Int]?
    /// Wall time of the run in milliseconds.
    public var elapsedMilliseconds: Double
    /// A connection failure, or h2's complaint about the server's frames; `nil` normally.
    public var error: String?

    /// Frames of `type` written.
    public func sent(_ type: String) -> Int { framesSentByType[type] ?? 0 }

    /// Frames of `type` received.
    public func received(_ type: String) -> Int { framesReceivedByType[type] ?? 0 }

    private enum CodingKeys: String, CodingKey {
        case mode, responses, error
        case framesSent = "frames_sent"
        case framesSentByType = "frames_sent_by_type"
        case bytesSent = "bytes_sent"
        case framesReceivedByType = "frames_received_by_type"
        case goawayReceived = "goaway_received"
        case goawayErrorCode = "goaway_error_code"
        case goawayErrorName = "goaway_error_name"
        case goawayLastStreamID = "goaway_last_stream_id"
        case goawayDebugData = "goaway_debug_data"
        case lastStreamID = "last_stream_id"
        case serverClosed = "server_closed"
        case connectionReset = "connection_reset"
        case writeError = "write_error"
        case writeStalled = "write_stalled"
        case aliveAfter = "alive_after"
        case responsesReceived = "responses_received"
        case streamsResetByServer = "streams_reset_by_server"
        case responseBytes = "response_bytes"
        case serverSettings = "server_settings"
        case elapsedMilliseconds = "elapsed_ms"
    }
}
