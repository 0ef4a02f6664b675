// EdgeSettings: the edge-context part of a runtime snapshot.
import TracegateContext

/// What the edge needs beyond each listener's `EdgePolicy`: the shared sanitiser and baggage
/// rules, and the header names the proxy writes, pre-digested as bytes.
///
/// A class, so the per-request code takes one reference to it instead of copying a struct of
/// arrays (which retains each array).
public final class EdgeSettings: Sendable {
    /// `context.enabled`: false skips the edge entirely (plain reverse proxy).
    public let enabled: Bool
    public let sanitizer: HeaderSanitizer
    public let baggage: BaggageRules
    /// The correlation header as written to upstreams and clients (e.g. "X-Correlation-ID").
    public let correlationHeader: [UInt8]
    /// The session header as written upstream (e.g. "X-Session-ID").
    public let sessionHeader: [UInt8]
    /// The debug header as written upstream when honoured (e.g. "X-Debug").
    public let debugHeader: [UInt8]
    /// The session cookie name, for `Set-Cookie` when sessions are issued.
    public let sessionCookie: [UInt8]
    /// `Max-Age` of issued session cookies, in seconds.
    public let sessionMaxAgeSeconds: UInt64
    /// Lowercased header names whose values are redacted in verbose debug logs.
    public let redactHeaders: [[UInt8]]

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
