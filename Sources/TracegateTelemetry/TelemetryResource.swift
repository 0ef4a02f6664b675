// TelemetryResource.swift — who produced the spans.

/// The OTLP resource (e.g. `service.name`, `service.instance.id`) and instrumentation scope that
/// every exported batch carries once, at the top of its `ResourceSpans`.
public struct TelemetryResource: Sendable, Equatable {
    public var attributes: [SpanAttribute]
    public var scopeName: String
    public var scopeVersion: String

    public init(attributes: [SpanAttribute] = [], scopeName: String = "tracegate", scopeVersion: String = "") {
        self.attributes = attributes
        self.scopeName = scopeName
        self.scopeVersion = scopeVersion
    }
}
