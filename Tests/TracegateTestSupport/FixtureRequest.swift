/// One request as an `UpstreamFixture` received it, for the test to assert on.
///
/// The body is de-framed (Content-Length or chunked, RFC 9112 §6–§7) and fingerprinted
/// while it streams in: `bodyLength` and `bodyFNV1a64` are exact for any size, while the
/// bytes themselves are kept only below `FixtureRequest.keptBodyLimit` (1 MiB) so that a
/// 1 GiB upload never sits in memory.
public struct FixtureRequest: Sendable {
    /// Bodies up to this size (exclusive) are kept in `body`.
    public static let keptBodyLimit = 1 << 20

    /// The method token, e.g. "GET".
    public var method: String
    /// The request-target exactly as received (origin-form path and query, or another form).
    public var target: String
    /// The protocol version token, e.g. "HTTP/1.1".
    public var version: String
    /// Header fields in arrival order, names as received.
    public var headers: [(name: String, value: String)]
    /// Trailer fields of a chunked body, in arrival order (RFC 9112 §7.1.2).
    public var trailers: [(name: String, value: String)] = []
    /// Number of body bytes after de-chunking.
    public var bodyLength: Int = 0
    /// FNV-1a 64 of the de-chunked body (see `FNV1a64` for why not SHA-256).
    public var bodyFNV1a64 = FNV1a64()
    /// The body when shorter than `keptBodyLimit`, else empty (see `isBodyKept`).
    public var body: [UInt8] = []
    /// Whether `body` holds the whole body.
    public var isBodyKept = true
    /// Whether the body arrived completely (false when the peer closed mid-body).
    public var isBodyComplete = true
    /// The head as received, start line included, up to and including the empty line.
    public var rawHead: String
    /// 1-based number of the connection (in accept order) that carried this request.
    public var connectionNumber: Int
    /// 1-based position of this request on its connection (keep-alive reuse shows as > 1).
    public var sequenceOnConnection: Int
    /// The peer address ("127.0.0.1:PORT") of the connection.
    public var peerAddress: String
    /// `true` only for the preliminary call of a handler for a request that carries
    /// `Expect: 100-continue`: the body has not been read yet. See `FixtureResponse.rejectExpect`.
    public var isAwaitingContinue = false

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of the header `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first value of the trailer `name` (case-insensitive).
    public func trailer(_ name: String) -> String? {
        let wanted = name.lowercased()
        return trailers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The path part of `target` (before `?`).
    public var path: String {
        String(target.prefix { $0 != "?" })
    }

    /// Hex form of `bodyFNV1a64`, 16 digits.
    public var bodyDigestHex: String { bodyFNV1a64.hex }

    /// The kept body decoded as UTF-8 (empty when not kept).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether the request asked for an interim 100 (RFC 9110 §10.1.1). The expectation is
    /// ignored in an HTTP/1.0 request, as that section requires of a server.
    public var expectsContinue: Bool {
        version == "HTTP/1.1" && headers(named: "expect").contains { $0.lowercased() == "100-continue" }
    }
}
