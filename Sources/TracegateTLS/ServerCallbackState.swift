import CTracegateOpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// What a server context's ClientHello callbacks (SNI, ALPN) read: the SNI table and the
/// listener's ALPN list in wire format.
///
/// Lifetime: the state belongs to the default `SSL_CTX`, not to the Swift `TLSServerContext`.
/// It is stored retained in the `SSL_CTX`'s ex_data and released by the ex_data free function
/// when OpenSSL frees that `SSL_CTX`, i.e. after the `TLSServerContext` is gone *and* the last
/// connection created from it was freed (each `SSL` holds a reference to it as its session
/// context, SSL_new(3)). A connection still handshaking after a certificate reload therefore
/// never reads freed memory. The SNI contexts are released here too; a connection switched to
/// one holds its own reference (SSL_set_SSL_CTX).
///
/// Immutable after init; read concurrently by all worker threads' handshakes.
final class ServerCallbackState: @unchecked Sendable {
    /// One server name pattern and the context it selects.
    struct Entry {
        /// Lowercased host name, or for a wildcard the suffix after "*" (".example.com").
        var name: [UInt8]
        var isWildcard: Bool
        var context: OpaquePointer
    }

    let entries: [Entry]
    /// The SNI contexts, each released once in deinit (a context can have several entries).
    let sniContexts: [OpaquePointer]
    /// The listener's protocols in ALPN wire format, server preference first. Stable memory:
    /// the ALPN callback hands OpenSSL a pointer into it.
    let alpnWire: UnsafeMutableBufferPointer<UInt8>

    init(entries: [Entry], sniContexts: [OpaquePointer], alpn: [ALPNProtocol]) {
        self.entries = entries
        self.sniContexts = sniContexts
        let wire = ALPNProtocol.wireFormat(alpn)
        alpnWire = .allocate(capacity: max(wire.count, 1))
        _ = alpnWire.initialize(from: wire)
        alpnCount = wire.count
    }

    /// Bytes of `alpnWire` in use.
    let alpnCount: Int

    deinit {
        for context in sniContexts { SSL_CTX_free(context) }
        alpnWire.deallocate()
    }

    /// The SNI context for `name` (a NUL-terminated host name): an exact entry first, then a
    /// wildcard entry for the name without its first label; `nil` keeps the default.
    func context(forServerName name: UnsafePointer<CChar>) -> OpaquePointer? {
        let length = strlen(name)
        let bytes = UnsafeRawBufferPointer(start: name, count: length)
        for entry in entries where !entry.isWildcard && Self.equalsIgnoringCase(bytes, entry.name) {
            return entry.context
        }
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0 else { return nil }
        let suffix = UnsafeRawBufferPointer(rebasing: bytes[dot...])
        for entry in entries where entry.isWildcard && Self.equalsIgnoringCase(suffix, entry.name) {
            return entry.context
        }
        return nil
    }

    /// ASCII case-insensitive equality of `bytes` and the lowercased `pattern` (DNS names are
    /// case-insensitive, RFC 4343).
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ pattern: [UInt8]) -> Bool {
        guard bytes.count == pattern.count else { return false }
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != pattern[index] { return false }
        }
        return true
    }

    /// Parses a configured server name: "host.example" or "*.example.com".
    static func parsePattern(_ name: String) -> (name: [UInt8], isWildcard: Bool)? {
        let lowered = Array(name.lowercased().utf8)
        guard !lowered.isEmpty, !lowered.contains(UInt8(ascii: " ")) else { return nil }
        if lowered.first == UInt8(ascii: "*") {
            // "*.a.b": one wildcard label, at least two labels after it (no "*.com").
            let suffix = Array(lowered.dropFirst())
            guard suffix.count > 1, suffix.first == UInt8(ascii: "."), !suffix.contains(UInt8(ascii: "*")),
                suffix.dropFirst().contains(UInt8(ascii: "."))
            else { return nil }
            return (suffix, true)
        }
        guard !lowered.contains(UInt8(ascii: "*")), lowered.first != UInt8(ascii: ".") else { return nil }
        return (lowered, false)
    }
}
