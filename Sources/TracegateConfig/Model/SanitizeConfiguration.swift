// SanitizeConfiguration.swift — extra headers stripped from untrusted peers.

/// `context.sanitize` — headers an untrusted client must not be able to set, on top of the
/// built-in list owned by `TracegateContext` (hop-by-hop headers per RFC 9110 §7.6.1,
/// `X-Forwarded-*`, trace context from untrusted peers, ...).
public struct SanitizeConfiguration: Sendable, Equatable {
    /// `strip_headers`. Default `[]`. Header names (RFC 9110 tokens), stored lowercase.
    public var stripHeaders: [String]
    /// `strip_prefixes`. Default `[x-tracegate-]`. Header-name prefixes (token characters),
    /// stored lowercase; any header starting with one is removed.
    public var stripPrefixes: [String]

    /// The defaults.
    public init(stripHeaders: [String] = [], stripPrefixes: [String] = ["x-tracegate-"]) {
        self.stripHeaders = stripHeaders
        self.stripPrefixes = stripPrefixes
    }
}
