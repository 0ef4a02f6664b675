// ListenerTLSConfiguration.swift — TLS termination on a listener.

/// `listeners[i].tls` — present means the listener speaks TLS; absent means cleartext.
///
/// Which application protocol a TLS connection carries is decided by ALPN (RFC 7301): HTTP/2
/// when the client offers `h2` and `h2` is in `alpn` (RFC 9113 §3.2), HTTP/1.1 otherwise
/// (including clients that send no ALPN extension). There is no HTTP/2 "prior knowledge" over
/// TLS (RFC 9113 §3.3 requires ALPN).
public struct ListenerTLSConfiguration: Sendable, Equatable {
    /// `certificate_chain` and `private_key` (both required): the certificate served when the
    /// client sends no SNI name, or one that no `sni` entry matches.
    public var certificate: CertificateFiles
    /// `alpn`. The protocols offered, in the server's order of preference: the first one the
    /// client also offers is selected. Default `[h2, http/1.1]`, or `[http/1.1]` when the
    /// listener's `http2` is false. Non-empty, no duplicates; `h2` only with `http2: true`.
    public var alpn: [ALPNProtocol]
    /// `min_version`: `"1.2"` (default) or `"1.3"`.
    public var minVersion: TLSVersion
    /// `session_tickets`. Default `true`: clients may resume a session with a ticket instead of
    /// a full handshake (RFC 8446 §4.6.1, RFC 5077). `false` sends no tickets (OpenSSL
    /// `SSL_OP_NO_TICKET`, and no TLS 1.3 NewSessionTicket), so every connection does a full
    /// handshake.
    public var sessionTickets: Bool
    /// `sni`. Default `[]`. Certificates selected by the server name the client sends (RFC 6066
    /// §3), tried in order; the first entry with a matching name wins. No name may appear twice.
    public var sni: [SNICertificateConfiguration]

    /// TLS with `certificate` and the defaults for everything else.
    public init(
        certificate: CertificateFiles,
        alpn: [ALPNProtocol] = [.h2, .http11],
        minVersion: TLSVersion = .tls12,
        sessionTickets: Bool = true,
        sni: [SNICertificateConfiguration] = []
    ) {
        self.certificate = certificate
        self.alpn = alpn
        self.minVersion = minVersion
        self.sessionTickets = sessionTickets
        self.sni = sni
    }
}
