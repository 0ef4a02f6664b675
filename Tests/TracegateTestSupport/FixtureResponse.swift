/// What an `UpstreamFixture` answers, and how it misbehaves while doing so.
///
/// A value built by the test's handler. The normal case is a status, headers and a body;
/// the other properties script the failure modes a proxy must survive (RFC 9112 §9.6
/// premature close, resets, hung origins, slow chunked streams, interim 1xx heads,
/// 100-continue, upgrades). Framing headers are added unless the handler set its own
/// `Content-Length` or `Transfer-Encoding`, which lets a test send deliberately wrong framing.
public struct FixtureResponse: Sendable {
    /// One piece of a slow chunked body.
    public struct Chunk: Sendable {
        /// The chunk payload (its chunk-size line and CRLF are added when writing).
        public var bytes: [UInt8]
        /// Pause after writing this chunk (the origin is slow, not the test).
        public var delayAfter: Duration

        /// A chunk of bytes followed by a pause.
        public init(_ bytes: [UInt8], delayAfter: Duration = .zero) {
            self.bytes = bytes
            self.delayAfter = delayAfter
        }

        /// A chunk of UTF-8 text followed by a pause.
        public init(_ text: String, delayAfter: Duration = .zero) {
            self.init(Array(text.utf8), delayAfter: delayAfter)
        }
    }

    /// The response body.
    public enum Body: Sendable {
        /// No body bytes (`Content-Length: 0` unless the status forbids a body).
        case none
        /// Fixed bytes, framed with Content-Length.
        case bytes([UInt8])
        /// `FixturePattern` bytes generated while writing, never buffered; `chunked` picks
        /// chunked framing (64 KiB chunks) over Content-Length.
        case streamed(totalBytes: Int, chunked: Bool)
        /// A chunked body written chunk by chunk with pauses.
        case chunks([Chunk])
        /// These exact bytes are the whole response (status line included): for malformed
        /// or smuggling-shaped upstream answers. Head options other than delays are ignored.
        case raw([UInt8])
    }

    /// The final status code.
    public var status: Int
    /// Reason phrase; `nil` uses the standard one for `status`.
    public var reason: String?
    /// Header fields in order. `Content-Length`/`Transfer-Encoding` here replace the automatic ones.
    public var headers: [(name: String, value: String)]
    /// What follows the head.
    public var body: Body
    /// Trailer fields sent after a chunked body (`.streamed(chunked: true)` or `.chunks`).
    public var trailers: [(name: String, value: String)] = []
    /// Pause before anything is written.
    public var delayBeforeHead: Duration = .zero
    /// Interim 1xx status codes sent, each as its own head, before the final one.
    public var informational: [Int] = []
    /// For a request with `Expect: 100-continue`: when set, the fixture answers with this
    /// final status instead of `100 Continue`, does not read the body and closes
    /// (RFC 9110 §10.1.1). Read from the preliminary handler call (`isAwaitingContinue`).
    public var rejectExpect: Int? = nil
    /// For a request with `Expect: 100-continue`: `false` reads the body without sending
    /// `100 Continue` first (an origin that ignores the expectation).
    public var sendContinue = true
    /// Write the head, then close without any body.
    public var closeAfterHead = false
    /// Close after this many bytes following the head (wire bytes: chunk framing counts).
    public var closeAfterBytes: Int? = nil
    /// Close with RST (SO_LINGER 0) instead of answering.
    public var resetBeforeHead = false
    /// Never answer; the connection stays open until the peer closes it or `stop()`.
    public var hang = false
    /// Send `Connection: close` and close after the response (RFC 9112 §9.6).
    public var closeConnection = false
    /// Answer `101 Switching Protocols` (`Upgrade: websocket`) and then echo raw bytes back
    /// until the peer closes: a tunnel to test, no WebSocket framing.
    public var upgradeEcho = false

    /// A response; add failure behaviour with `with { ... }`.
    public init(
        status: Int = 200,
        reason: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: Body = .none
    ) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// A copy changed by `change`, for one-line variations: `.text("x").with { $0.closeConnection = true }`.
    public func with(_ change: (inout FixtureResponse) -> Void) -> FixtureResponse {
        var copy = self
        change(&copy)
        return copy
    }
}

extension FixtureResponse {
    /// A `text/plain` response.
    public static func text(_ text: String, status: Int = 200) -> FixtureResponse {
        FixtureResponse(status: status, headers: [("Content-Type", "text/plain")], body: .bytes(Array(text.utf8)))
    }

    /// A bodyless response with `status`.
    public static func status(_ status: Int) -> FixtureResponse {
        FixtureResponse(status: status)
    }

    /// A pattern body of `totalBytes` generated while writing (see `FixturePattern`).
    public static func streamed(totalBytes: Int, chunked: Bool) -> FixtureResponse {
        FixtureResponse(headers: [("Content-Type", "application/octet-stream")], body: .streamed(totalBytes: totalBytes, chunked: chunked))
    }

    /// A chunked response written piece by piece with pauses.
    public static func chunked(_ chunks: [Chunk], trailers: [(name: String, value: String)] = []) -> FixtureResponse {
        var response = FixtureResponse(headers: [("Content-Type", "text/plain")], body: .chunks(chunks))
        response.trailers = trailers
        return response
    }

    /// Exact response bytes.
    public static func raw(_ bytes: [UInt8]) -> FixtureResponse {
        FixtureResponse(body: .raw(bytes))
    }

    /// Exact response bytes from text (write `\r\n` yourself).
    public static func raw(_ text: String) -> FixtureResponse {
        raw(Array(text.utf8))
    }

    /// An origin that accepts the request and never answers.
    public static let hang = FixtureResponse().with { $0.hang = true }

    /// An origin that resets the connection instead of answering.
    public static let reset = FixtureResponse().with { $0.resetBeforeHead = true }

    /// `101 Switching Protocols`, then a byte echo until the peer closes.
    public static let upgradeEcho = FixtureResponse(status: 101).with { $0.upgradeEcho = true }

    /// Whether `status` forbids a body (RFC 9112 §6.3: 1xx, 204, 304).
    static func statusForbidsBody(_ status: Int) -> Bool {
        (100..<200).contains(status) || status == 204 || status == 304
    }

    /// The standard reason phrase, or "Status" for unknown codes.
    static func standardReason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 102: "Processing"
        case 103: "Early Hints"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 417: "Expectation Failed"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
