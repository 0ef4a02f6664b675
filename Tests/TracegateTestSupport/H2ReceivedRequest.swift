/// One request as `H2Upstream` (`Tests/Fixtures/h2_upstream.py`) received it: a `request` line of
/// the script, recorded once the request was complete (or reset, or cut off) and before the
/// response was sent.
public struct H2ReceivedRequest: Sendable, Decodable {
    /// 1-based number of the connection (in accept order) that carried the stream.
    public var connection: Int
    /// The HTTP/2 stream identifier (odd, client-initiated).
    public var streamID: Int
    /// `:method`.
    public var method: String
    /// `:path` as received, query included.
    public var path: String
    /// `:authority`, when sent.
    public var authority: String?
    /// `:scheme`.
    public var scheme: String?
    /// Every field as received, pseudo-header fields included, in order (names are lowercase,
    /// as RFC 9113 §8.2.1 requires on the wire).
    public var headers: [(name: String, value: String)]
    /// Body bytes received (DATA payload, padding excluded).
    public var bodyLength: Int
    /// SHA-256 of the body, lowercase hex.
    public var bodySHA256: String
    /// Whether the body is `FixturePattern` from offset 0 (true for an empty body).
    public var bodyIsPattern: Bool
    /// The trailer section (RFC 9113 §8.1), empty when none came.
    public var trailers: [(name: String, value: String)]
    /// Streams open on the connection when this one arrived, itself included: the concurrency a
    /// client actually used (compare with the advertised SETTINGS_MAX_CONCURRENT_STREAMS).
    public var openStreams: Int
    /// Whether END_STREAM arrived (false when the client reset the stream or the connection ended).
    public var complete: Bool
    /// The client's RST_STREAM error code name (e.g. "CANCEL"), if it reset the stream.
    public var resetCode: String?
    /// Whether the connection was TLS.
    public var tls: Bool
    /// The ALPN protocol negotiated ("h2"), `nil` on cleartext.
    public var alpn: String?

    /// The first value of `name` (case-insensitive), pseudo-header fields included.
    public func header(_ name: String) -> String? { FieldLookup.first(name, in: headers) }

    /// Every value of `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] { FieldLookup.all(name, in: headers) }

    /// The first value of the trailer `name` (case-insensitive).
    public func trailer(_ name: String) -> String? { FieldLookup.first(name, in: trailers) }

    private enum CodingKeys: String, CodingKey {
        case connection, method, path, authority, scheme, headers, trailers, complete, tls, alpn
        case streamID = "stream_id"
        case bodyLength = "body_length"
        case bodySHA256 = "body_sha256"
        case bodyIsPattern = "body_is_pattern"
        case openStreams = "open_streams"
        case resetCode = "reset_code"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        connection = try container.decode(Int.self, forKey: .connection)
        streamID = try container.decode(Int.self, forKey: .streamID)
        method = try container.decode(String.self, forKey: .method)
        path = try container.decode(String.self, forKey: .path)
        authority = try container.decodeIfPresent(String.self, forKey: .authority)
        scheme = try container.decodeIfPresent(String.self, forKey: .scheme)
        headers = JSONFieldPair.tuples(try container.decode([JSONFieldPair].self, forKey: .headers))
        bodyLength = try container.decode(Int.self, forKey: .bodyLength)
        bodySHA256 = try container.decode(String.self, forKey: .bodySHA256)
        bodyIsPattern = try container.decode(Bool.self, forKey: .bodyIsPattern)
        trailers = JSONFieldPair.tuples(try container.decode([JSONFieldPair].self, forKey: .trailers))
        openStreams = try container.decode(Int.self, forKey: .openStreams)
        complete = try container.decode(Bool.self, forKey: .complete)
        resetCode = try container.decodeIfPresent(String.self, forKey: .resetCode)
        tls = try container.decode(Bool.self, forKey: .tls)
        alpn = try container.decodeIfPresent(String.self, forKey: .alpn)
    }
}

/// A stream `H2Upstream` refused with RST_STREAM(REFUSED_STREAM).
public struct H2RefusedStream: Sendable, Decodable, Equatable {
    /// 1-based connection number.
    public var connection: Int
    /// The refused stream.
    public var streamID: Int
    /// "max_concurrent_streams" (the client exceeded the advertised limit) or "after_goaway"
    /// (a stream newer than the fixture's GOAWAY last-stream-id).
    public var reason: String
    /// Streams open on the connection at that moment, the refused one included.
    public var openStreams: Int

    private enum CodingKeys: String, CodingKey {
        case connection, reason
        case streamID = "stream_id"
        case openStreams = "open_streams"
    }
}
