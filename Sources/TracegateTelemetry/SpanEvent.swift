// SpanEvent.swift — a time-stamped annotation of a span.

/// A time-stamped annotation of a span (e.g. "upstream connected", "retry").
public struct SpanEvent: Sendable, Equatable {
    public var name: String
    public var timeUnixNanos: UInt64
    public var attributes: [SpanAttribute]

    public init(name: String, timeUnixNanos: UInt64, attributes: [SpanAttribute] = []) {
        self.name = name
        self.timeUnixNanos = timeUnixNanos
        self.attributes = attributes
    }
}
