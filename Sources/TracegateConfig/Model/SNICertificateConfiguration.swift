// SNICertificateConfiguration.swift — a certificate chosen by the TLS server name.

/// `listeners[i].tls.sni[j]` — a certificate served to clients that ask for one of
/// `server_names` in the TLS `server_name` extension (RFC 6066 §3).
public struct SNICertificateConfiguration: Sendable, Equatable {
    /// `server_names` (required, at least one, no duplicates across the listener's entries).
    /// Each is an exact DNS name or a `*.suffix` wildcard, matched exactly like a route's
    /// `match.host`: case-insensitively, one trailing dot ignored, and `*.example.com` matches
    /// `a.example.com` and `a.b.example.com` but not `example.com`. Never `.any`: `*` and IP
    /// literals are refused, because SNI carries DNS names only (RFC 6066 §3); the listener's
    /// own certificate is the fallback for every other name.
    public var serverNames: [HostMatch]
    /// `certificate_chain` and `private_key` (both required).
    public var certificate: CertificateFiles

    /// An entry serving `certificate` for `serverNames`.
    public init(serverNames: [HostMatch], certificate: CertificateFiles) {
        self.serverNames = serverNames
        self.certificate = certificate
    }

    /// Whether this entry serves the server name a client sent (no port, as in the TLS
    /// extension). No allocation: the name is read in place, as `HostMatch.matches(host:)` does.
    public func matches(serverName: UnsafeRawBufferPointer) -> Bool {
        serverNames.contains { $0.matches(host: serverName) }
    }
}
