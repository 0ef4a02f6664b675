// UpstreamTLSConfiguration.swift — TLS towards a cluster's endpoints.

/// `clusters[i].tls` — how Tracegate makes TLS connections to a cluster's endpoints.
///
/// Present for `protocol: http1` means HTTPS/1.1; implied with every default for `h2` and
/// `auto` (so `tls` is never nil for them after loading); refused for `h2c`.
public struct UpstreamTLSConfiguration: Sendable, Equatable {
    /// `ca_file`. Default none: the system trust store (OpenSSL's default verify paths). A PEM
    /// file of CA certificates trusted instead of the system store.
    public var caFile: String?
    /// `verify`. Default `true`: the server's certificate must chain to a trusted CA and match
    /// the server name, or the IP address when there is none (RFC 9110 §4.3.4, RFC 6125).
    /// `false` accepts any certificate, which defeats TLS against an active attacker: for test
    /// set-ups only. `ca_file` is refused with `false` (it would have no effect).
    public var verify: Bool
    /// `server_name`. Default none, meaning per endpoint: the endpoint's host when it is a name,
    /// sent as SNI and verified; for an IP literal endpoint no SNI is sent (RFC 6066 §3 allows
    /// DNS names only) and the certificate must carry that IP address. When set (a DNS name,
    /// stored lowercase, no trailing dot), it is sent as SNI and verified for every endpoint:
    /// for endpoints given by IP address or by an internal name the certificate does not carry.
    public var serverName: String?
    /// `client_certificate_chain` and `client_private_key`, both or neither. Default none. The
    /// certificate presented when the server asks for one (mutual TLS).
    public var clientCertificate: CertificateFiles?

    /// The defaults: system trust store, verification on, server name from each endpoint, no
    /// client certificate.
    public init(
        caFile: String? = nil,
        verify: Bool = true,
        serverName: String? = nil,
        clientCertificate: CertificateFiles? = nil
    ) {
        self.caFile = caFile
        self.verify = verify
        self.serverName = serverName
        self.clientCertificate = clientCertificate
    }

    /// The name sent as SNI and verified for a connection to `endpoint`: `serverName` when set,
    /// else the endpoint's host when it is a name (`localhost` included), else nil: an IP
    /// literal, verified against the certificate's IP addresses, with no SNI.
    public func serverName(for endpoint: SocketAddressSpec) -> String? {
        if let serverName { return serverName }
        if endpoint.isIPv6Literal || endpoint.isIPv4Literal { return nil }
        return endpoint.host.hasSuffix(".") ? String(endpoint.host.dropLast()) : endpoint.host
    }
}
