// AccessLogConfiguration.swift — the access log switch.

/// `access_log:` — one structured line per exchange (DESIGN-NOTES.md, logging).
public struct AccessLogConfiguration: Sendable, Equatable {
    /// `enabled`. Default `true`.
    public var enabled: Bool

    /// The defaults: enabled.
    public init(enabled: Bool = true) {
        self.enabled = enabled
    }
}
