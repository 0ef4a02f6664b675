// DebugConfiguration.swift — the per-request debug header.

/// `context.debug` — a request carrying the debug header gets verbose tracing (forced sampling,
/// header dumps). Honoured only from trusted peers, or with a token signed by HMAC-SHA256 using
/// the secret in `secret_file`, and rate-limited.
public struct DebugConfiguration: Sendable, Equatable {
    /// `header`. Default `X-Debug`, stored lowercase.
    public var header: String
    /// `secret_file`. Default `null` (no signed tokens; only trusted peers may debug). Path of a
    /// file holding the HMAC secret; read by the caller (relative paths are relative to the
    /// working directory). This module does not open it.
    public var secretFile: String?
    /// `max_per_second`. Default 10. 0...100000. Debug requests honoured per second per
    /// process; 0 disables debugging.
    public var maxPerSecond: Int
    /// `redact_headers`. Default `[authorization, proxy-authorization, cookie, set-cookie]`.
    /// Header names whose values are hidden in debug dumps; stored lowercase.
    public var redactHeaders: [String]

    /// The defaults.
    public init(
        header: String = "x-debug",
        secretFile: String? = nil,
        maxPerSecond: Int = 10,
        redactHeaders: [String] = ["authorization", "proxy-authorization", "cookie", "set-cookie"]
    ) {
        self.header = header
        self.secretFile = secretFile
        self.maxPerSecond = maxPerSecond
        self.redactHeaders = redactHeaders
    }
}
