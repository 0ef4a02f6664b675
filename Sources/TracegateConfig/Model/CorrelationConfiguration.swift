// CorrelationConfiguration.swift — the correlation id header.

/// `context.correlation.generate` — how a missing correlation id is made.
public enum CorrelationIDGenerator: String, Sendable, Equatable, CaseIterable {
    /// The request's 32-hex-digit trace id, so logs and traces join on one value. Default.
    case traceID = "trace_id"
    /// A random RFC 9562 UUID (version 4), 36 characters.
    case uuid

    /// Length of a generated id, which `max_length` must allow.
    public var generatedLength: Int {
        switch self {
        case .traceID: return 32
        case .uuid: return 36
        }
    }
}

/// `context.correlation` — every request carries a correlation id, kept from the client (when
/// valid) or generated, forwarded upstream and echoed in the response.
public struct CorrelationConfiguration: Sendable, Equatable {
    /// `header`. Default `X-Correlation-ID`, stored lowercase (`x-correlation-id`).
    public var header: String
    /// `aliases`. Default `[X-Request-ID]`, stored lowercase. Incoming headers also accepted as the
    /// correlation id when `header` is absent, in order.
    public var aliases: [String]
    /// `generate`: `trace_id` (default) or `uuid`.
    public var generate: CorrelationIDGenerator
    /// `max_length`. Default 128. 1...1024, and at least the generated id's length (32 or 36).
    /// Longer incoming ids are replaced.
    public var maxLength: Int

    /// The defaults.
    public init(
        header: String = "x-correlation-id",
        aliases: [String] = ["x-request-id"],
        generate: CorrelationIDGenerator = .traceID,
        maxLength: Int = 128
    ) {
        self.header = header
        self.aliases = aliases
        self.generate = generate
        self.maxLength = maxLength
    }
}
