import Foundation

/// One call of `tracegate.test.Echo` as `Tests/Fixtures/grpc_client.py` (grpcio) saw it.
public struct GRPCCallResult: Sendable, Decodable {
    /// The status code name (`grpc.StatusCode`): "OK", "NOT_FOUND", "UNAVAILABLE"...
    public var code: String
    /// The status message, `nil` when empty.
    public var details: String?
    /// Response messages in order, as UTF-8 text.
    public var messages: [String]
    /// Response headers (initial metadata), pseudo-headers excluded, in order.
    public var initialMetadata: [(name: String, value: String)]
    /// Trailers (trailing metadata) other than grpc-status/grpc-message, in order.
    public var trailingMetadata: [(name: String, value: String)]

    /// Whether the call succeeded.
    public var isOK: Bool { code == "OK" }

    /// The first initial-metadata value of `name` (case-insensitive).
    public func initialMetadata(_ name: String) -> String? { FieldLookup.first(name, in: initialMetadata) }

    /// The first trailing-metadata value of `name` (case-insensitive).
    public func trailingMetadata(_ name: String) -> String? { FieldLookup.first(name, in: trailingMetadata) }

    /// The Unary method's answer decoded: what the server received.
    /// - Throws: `malformed` when the call has no single JSON message (not a successful unary call).
    public func unaryEcho() throws(TestSupportError) -> GRPCUnaryEcho {
        guard messages.count == 1, let message = messages.first else {
            throw .malformed(what: "gRPC unary echo", detail: "expected one message, got \(messages.count) (status \(code))")
        }
        return try PythonFixtureProcess.decode(GRPCUnaryEcho.self, message, what: "gRPC unary echo")
    }

    private enum CodingKeys: String, CodingKey {
        case code, details, messages
        case initialMetadata = "initial_metadata"
        case trailingMetadata = "trailing_metadata"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        details = try container.decodeIfPresent(String.self, forKey: .details)
        messages = try container.decode([String].self, forKey: .messages)
        initialMetadata = JSONFieldPair.tuples(try container.decode([JSONFieldPair].self, forKey: .initialMetadata))
        trailingMetadata = JSONFieldPair.tuples(try container.decode([JSONFieldPair].self, forKey: .trailingMetadata))
    }
}

/// What the server's Unary method received, as it answers it.
public struct GRPCUnaryEcho: Sendable, Decodable {
    /// The request message as UTF-8 text.
    public var request: String
    /// The request message length in bytes.
    public var requestLength: Int
    /// The request metadata as received (custom headers such as `traceparent`, and grpcio's
    /// `user-agent`), in order. Binary (`-bin`) values are base64.
    public var metadata: [(name: String, value: String)]

    /// The first metadata value of `name` (case-insensitive).
    public func metadata(_ name: String) -> String? { FieldLookup.first(name, in: metadata) }

    private enum CodingKeys: String, CodingKey {
        case request, metadata
        case requestLength = "request_length"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        request = try container.decode(String.self, forKey: .request)
        requestLength = try container.decode(Int.self, forKey: .requestLength)
        metadata = JSONFieldPair.tuples(try container.decode([JSONFieldPair].self, forKey: .metadata))
    }
}

/// A call `GRPCFixture` received, from the server's `call` line (printed when the call starts).
public struct GRPCReceivedCall: Sendable, Decodable {
    /// The full method path, e.g. "/tracegate.test.Echo/Unary".
    public var method: String
    /// The request metadata as received, in order.
    public var metadata: [(name: String, value: String)]
    /// The request message length in bytes.
    public var requestLength: Int

    /// The first metadata value of `name` (case-insensitive).
    public func metadata(_ name: String) -> String? { FieldLookup.first(name, in: metadata) }

    private enum CodingKeys: String, CodingKey {
        case method, metadata
        case requestLength = "request_length"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(String.self, forKey: .method)
        requestLength = try container.decode(Int.self, forKey: .requestLength)
        metadata = JSONFieldPair.tuples(try container.decode([JSONFieldPair].self, forKey: .metadata))
    }
}
