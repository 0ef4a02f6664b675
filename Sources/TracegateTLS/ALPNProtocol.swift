/// An application protocol negotiated with TLS ALPN (RFC 7301).
///
/// Only the two protocols the proxy speaks over TLS exist here, so a negotiated protocol can
/// be read without allocating: the data plane switches on this enum per connection.
public enum ALPNProtocol: Sendable, Hashable, CustomStringConvertible {
    /// HTTP/2 over TLS, "h2" (RFC 9113 §3.2).
    case h2
    /// HTTP/1.1, "http/1.1" (RFC 7301 §6).
    case http11

    /// The protocol identifier as sent on the wire.
    public var wireName: String {
        switch self {
        case .h2: "h2"
        case .http11: "http/1.1"
        }
    }

    public var description: String { wireName }

    /// The identifier bytes as a static buffer, so matching never allocates.
    var wireBytes: StaticString {
        switch self {
        case .h2: "h2"
        case .http11: "http/1.1"
        }
    }

    /// The protocol whose identifier is exactly `bytes`, or `nil`.
    static func matching(_ bytes: UnsafeRawBufferPointer) -> ALPNProtocol? {
        if ALPNProtocol.h2.matches(bytes) { return .h2 }
        if ALPNProtocol.http11.matches(bytes) { return .http11 }
        return nil
    }

    /// Whether `bytes` is exactly this protocol's identifier.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let name = wireBytes
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return bytes.elementsEqual(expected)
    }

    /// `protocols` in ALPN wire format (RFC 7301 §3.1): each identifier prefixed by its length.
    static func wireFormat(_ protocols: [ALPNProtocol]) -> [UInt8] {
        var wire: [UInt8] = []
        for element in protocols {
            let name = element.wireBytes
            wire.append(UInt8(name.utf8CodeUnitCount))
            wire.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
        return wire
    }
}
