/// A span as `otlp_receiver.py` decoded it with the official OTLP definitions (ids in lowercase
/// hex, enums by their proto names), for asserting what reached the collector.
public struct ReceivedSpan: Decodable, Sendable, Equatable {
    public var traceID: String
    public var spanID: String
    /// "" for a root span.
    public var parentSpanID: String
    public var name: String
    /// The `SpanKind` name, e.g. `SPAN_KIND_SERVER`.
    public var kind: String
    public var startTimeUnixNano: UInt64
    public var endTimeUnixNano: UInt64
    public var flags: UInt32
    public var traceState: String
    public var attributes: [String: ReceivedValue]
    public var events: [Event]
    public var links: [Link]
    public var status: Status
    public var resource: Resource
    public var scope: Scope

    public struct Event: Decodable, Sendable, Equatable {
        public var name: String
        public var timeUnixNano: UInt64
        public var attributes: [String: ReceivedValue]

        enum CodingKeys: String, CodingKey {
            case name, attributes
            case timeUnixNano = "time_unix_nano"
        }
    }

    public struct Link: Decodable, Sendable, Equatable {
        public var traceID: String
        public var spanID: String
        public var traceState: String
        public var flags: UInt32
        public var attributes: [String: ReceivedValue]

        enum CodingKeys: String, CodingKey {
            case flags, attributes
            case traceID = "trace_id"
            case spanID = "span_id"
            case traceState = "trace_state"
        }
    }

    public struct Status: Decodable, Sendable, Equatable {
        /// The `StatusCode` name, e.g. `STATUS_CODE_ERROR`.
        public var code: String
        public var message: String
    }

    public struct Resource: Decodable, Sendable, Equatable {
        public var attributes: [String: ReceivedValue]
    }

    public struct Scope: Decodable, Sendable, Equatable {
        public var name: String
        public var version: String
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, flags, attributes, events, links, status, resource, scope
        case traceID = "trace_id"
        case spanID = "span_id"
        case parentSpanID = "parent_span_id"
        case startTimeUnixNano = "start_time_unix_nano"
        case endTimeUnixNano = "end_time_unix_nano"
        case traceState = "trace_state"
    }
}

/// An attribute value as the receiver's JSON carries it. Decoding tries bool, then integer, then
/// floating point, so send doubles with a fractional part when the type matters.
public enum ReceivedValue: Decodable, Sendable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case array([ReceivedValue])
    case object([String: ReceivedValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ReceivedValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ReceivedValue].self))
        }
    }
}

/// One export request as the receiver saw it.
public struct ReceivedRequest: Decodable, Sendable, Equatable {
    public var method: String
    public var path: String
    /// Field names lowercased; a repeated field keeps its last value.
    public var headers: [String: String]
}
