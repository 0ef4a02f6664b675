// BaggageConfiguration.swift — W3C Baggage limits and redaction.

/// `context.baggage` — how much `baggage` (W3C Baggage) is propagated and what is hidden.
///
/// W3C Baggage §3.3 ("Limits") asks platforms to propagate at least 64 members and 8192 bytes;
/// those are the defaults. Baggage from untrusted peers is dropped except for the allowed keys.
public struct BaggageConfiguration: Sendable, Equatable {
    /// `max_members`. Default 64. 1...1024. Members beyond this are dropped.
    public var maxMembers: Int
    /// `max_bytes`. Default 8192. 1...65536 (size syntax allowed, e.g. `8KiB`).
    public var maxBytes: Int
    /// `untrusted_allowed_keys`. Default `[]`. Baggage keys (W3C Baggage `key` = RFC 9110 token,
    /// case-sensitive) kept from untrusted peers; everything else from them is dropped.
    public var untrustedAllowedKeys: [String]
    /// `redact_key_patterns`. Default `[password, passwd, secret, token, authorization, auth,
    /// api_key, apikey, cookie, email, card, ssn, phone]`. Case-insensitive substrings; a member
    /// whose key contains one has its value redacted in logs and spans. Stored lowercase.
    public var redactKeyPatterns: [String]

    /// The default `redact_key_patterns`.
    public static let defaultRedactKeyPatterns = [
        "password", "passwd", "secret", "token", "authorization", "auth", "api_key", "apikey", "cookie",
        "email", "card", "ssn", "phone",
    ]

    /// The defaults.
    public init(
        maxMembers: Int = 64,
        maxBytes: Int = 8_192,
        untrustedAllowedKeys: [String] = [],
        redactKeyPatterns: [String] = BaggageConfiguration.defaultRedactKeyPatterns
    ) {
        self.maxMembers = maxMembers
        self.maxBytes = maxBytes
        self.untrustedAllowedKeys = untrustedAllowedKeys
        self.redactKeyPatterns = redactKeyPatterns
    }
}
