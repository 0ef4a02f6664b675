// EdgeSettings: the edge-context part of a runtime snapshot.
import TracegateContext

/// What the edge needs beyond each listener's `EdgePolicy`: the shared sanitiser and baggage
/// rules, and the header names the proxy writes, pre-digested as bytes.
public struct EdgeSettings: Sendable {
    /// `context.enabled`: false skips the edge entirely (plain reverse proxy).
    public var enabled: Bool
    public var sanitizer: HeaderSanitizer
    public var baggage: BaggageRules
    /// The correlation header as written to upstreams and clients (e.g. "X-Correlation-ID").
    public var correlationHeader: [UInt8]
    /// The session header as written upstream (e.g. "X-Session-ID").
    public var sessionHeader: [UInt8]
    /// The debug header as written upstream when honoured (e.g. "X-Debug").
    public var debugHeader: [UInt8]
    /// The session cookie name, for `Set-Cookie` when sessions are issued.
    public var sessionCookie: [UInt8]
    /// `Max-Age` of issued session cookies, in seconds.
    public var sessionMaxAgeSeconds: UInt64
    /// Lowercased header names whose values are redacted in verbose debug logs.
    public var redactHeaders: [[UInt8]]

    public init(enabled: Bool, sanitizer: HeaderSanitizer, baggage: BaggageRules, correlationHeader: String, sessionHeader: String, debugHeader: String,
                sessionCookie: String, sessionMaxAgeSeconds: UInt64, redactHeaders: [String]) {
        self.enabled = enabled
        self.sanitizer = sanitizer
        self.baggage = baggage
        self.correlationHeader = Array(correlationHeader.utf8)
        self.sessionHeader = Array(sessionHeader.utf8)
        self.debugHeader = Array(debugHeader.utf8)
        self.sessionCookie = Array(sessionCookie.utf8)
        self.sessionMaxAgeSeconds = sessionMaxAgeSeconds
        self.redactHeaders = redactHeaders.map { Array($0.lowercased().utf8) }
    }
}
