// SpanAttribute.swift — one key/value attribute.

/// One attribute of a span, event, link or resource.
///
/// Only the scalar value types: they cover the OpenTelemetry HTTP and network conventions a proxy
/// records, and keep the conversion from request records allocation-light.
public struct SpanAttribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
        case double(Double)
    }

    public var key: String
    public var value: Value

    public init(key: String, value: Value) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: Value) {
        self.init(key: key, value: value)
    }

    public static func string(_ key: String, _ value: String) -> SpanAttribute { .init(key, .string(value)) }
    public static func int(_ key: String, _ value: Int64) -> SpanAttribute { .init(key, .int(value)) }
    public static func bool(_ key: String, _ value: Bool) -> SpanAttribute { .init(key, .bool(value)) }
    public static func double(_ key: String, _ value: Double) -> SpanAttribute { .init(key, .double(value)) }
}
