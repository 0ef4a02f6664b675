// SessionConfiguration.swift — the session id, from a cookie or a header.

/// `context.session` — the session id is read from `cookie` (if set) or `header`, propagated
/// upstream in `header`, and optionally issued as a cookie when absent.
public struct SessionConfiguration: Sendable, Equatable {
    /// `cookie`. Default `session_id`; `null` means sessions are not read from cookies. A cookie
    /// name is an RFC 6265 §4.1.1 token and is case-sensitive, so it is stored as written.
    public var cookie: String?
    /// `header`. Default `X-Session-ID`, stored lowercase.
    public var header: String
    /// `issue`. Default `false`. When true, a response to a request without a session gets a
    /// new session cookie; requires `cookie`.
    public var issue: Bool
    /// `idle_expiry`. Default `30m`. 1ns...720h. Max-Age of an issued session cookie.
    public var idleExpiry: Duration
    /// `max_length`. Default 128. 1...1024. Longer incoming session ids are ignored.
    public var maxLength: Int

    /// The defaults.
    public init(
        cookie: String? = "session_id",
        header: String = "x-session-id",
        issue: Bool = false,
        idleExpiry: Duration = .seconds(1_800),
        maxLength: Int = 128
    ) {
        self.cookie = cookie
        self.header = header
        self.issue = issue
        self.idleExpiry = idleExpiry
        self.maxLength = maxLength
    }
}
