import Foundation

/// One HTTP/1.x response as `RawHTTPClient` read it off the wire.
///
/// Like `FixtureRequest`, the de-framed body is always counted and fingerprinted, and kept
/// only up to a limit chosen by the reader, so multi-GiB downloads can be checked without
/// holding them.
public struct RawResponse: Sendable {
    /// e.g. "HTTP/1.1".
    public var version: String
    /// The status code.
    public var status: Int
    /// The reason phrase (may be empty).
    public var reason: String
    /// Header fields in order, names as received.
    public var headers: [(name: String, value: String)]
    /// Trailer fields of a chunked body.
    public var trailers: [(name: String, value: String)] = []
    /// The de-chunked body when `isBodyKept`, else empty.
    public var body: [UInt8] = []
    /// Whether `body` holds the whole body (it is dropped past the reader's limit).
    public var isBodyKept = true
    /// Body bytes after de-chunking.
    public var bodyLength = 0
    /// FNV-1a 64 of the de-chunked body.
    public var bodyFNV1a64 = FNV1a64()
    /// How the body was delimited: "none", "content-length", "chunked" or "close".
    public var framing: String
    /// The head as received, up to and including the empty line.
    public var rawHead: String

    /// The first value of `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The first value of the trailer `name` (case-insensitive).
    public func trailer(_ name: String) -> String? {
        let wanted = name.lowercased()
        return trailers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The kept body decoded as UTF-8.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The kept body parsed as a JSON object, or `nil`.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// Whether the peer announced it will close (`Connection: close`, RFC 9112 §9.6).
    public var announcesClose: Bool {
        headers(named: "connection").flatMap { $0.httpListMembers() }.contains("close")
    }

    mutating func absorb(_ piece: UnsafeRawBufferPointer, keepUpTo limit: Int) {
        bodyLength += piece.count
        bodyFNV1a64.update(piece)
        guard isBodyKept else { return }
        if bodyLength <= limit {
            body.append(contentsOf: piece)
        } else {
            body = []
            isBodyKept = false
        }
    }
}
