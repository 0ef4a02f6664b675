// TLSPolicies.swift — the TLS protocol choices a listener offers: ALPN identifiers and versions.

/// An application protocol negotiated by ALPN (RFC 7301), spelled as its registered
/// identifier: the raw value is the exact protocol name sent on the wire.
public enum ALPNProtocol: String, Sendable, Equatable, CaseIterable {
    /// HTTP/2 over TLS (RFC 9113 §3.2).
    case h2 = "h2"
    /// HTTP/1.1 (RFC 7301 §6, RFC 9112).
    case http11 = "http/1.1"
}

/// `listeners[].tls.min_version` — the oldest TLS version a listener accepts. The newest is
/// always TLS 1.3.
///
/// TLS 1.0 and 1.1 are not offered (RFC 8996 deprecates them), and HTTP/2 requires TLS 1.2 or
/// later anyway (RFC 9113 §9.2).
public enum TLSVersion: String, Sendable, Equatable, CaseIterable {
    /// TLS 1.2 (RFC 5246). Default. HTTP/2 over TLS 1.2 additionally requires an ephemeral key
    /// exchange and an AEAD cipher suite (RFC 9113 §9.2.2).
    case tls12 = "1.2"
    /// TLS 1.3 (RFC 8446) only.
    case tls13 = "1.3"
}
