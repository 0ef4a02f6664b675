// LimitsConfiguration.swift — request size and connection limits.

/// `limits:` — the sizes a request may have, and how many client connections a process accepts.
///
/// Each limit protects the proxy's fixed per-connection buffers (DESIGN.md principle 6: every
/// limit is a number in the config with a safe default). Violations are rejected with 431/414/413
/// (RFC 6585 §5, RFC 9110 §15.5.15, §15.5.14) by the data plane.
public struct LimitsConfiguration: Sendable, Equatable {
    /// `max_header_bytes`. Default 65536 (64KiB). 1KiB...1MiB. Whole request head, request line
    /// included.
    public var maxHeaderBytes: Int
    /// `max_header_count`. Default 100. 1...1000.
    public var maxHeaderCount: Int
    /// `max_uri_length`. Default 8192. 16...65536 and less than `max_header_bytes`.
    public var maxURILength: Int
    /// `max_request_body_bytes`. Default 1GiB. 0 means unlimited.
    public var maxRequestBodyBytes: Int
    /// `max_connections`. Default 10000. 1...1000000. Downstream connections per process.
    public var maxConnections: Int
    /// `http2`. Per-connection limits for HTTP/2 clients (both h2 over TLS and h2c).
    public var http2: HTTP2LimitsConfiguration

    /// The defaults. `http2` nil means the HTTP/2 defaults with `maxHeaderListSize` equal to
    /// `maxHeaderBytes`, as the loader fills it in.
    public init(
        maxHeaderBytes: Int = 65_536,
        maxHeaderCount: Int = 100,
        maxURILength: Int = 8_192,
        maxRequestBodyBytes: Int = 1 << 30,
        maxConnections: Int = 10_000,
        http2: HTTP2LimitsConfiguration? = nil
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxURILength = maxURILength
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxConnections = maxConnections
        self.http2 = http2 ?? HTTP2LimitsConfiguration(maxHeaderListSize: maxHeaderBytes)
    }
}
