// UpstreamProtocol.swift — which HTTP version a cluster's connections speak.

/// `clusters[i].protocol` — the protocol Tracegate speaks to a cluster's endpoints.
public enum UpstreamProtocol: String, Sendable, Equatable, CaseIterable {
    /// HTTP/1.1 (RFC 9112). Default. Cleartext, or TLS ("HTTPS/1.1") when the cluster has `tls`.
    case http1
    /// HTTP/2 over cleartext TCP with prior knowledge (RFC 9113 §3.3): the connection starts
    /// with the HTTP/2 preface, no upgrade. `tls` is refused.
    case h2c
    /// HTTP/2 over TLS, offering only `h2` by ALPN (RFC 9113 §3.2); a server that selects no
    /// protocol or another one fails the connection attempt. `tls` is implied.
    case h2
    /// TLS offering `h2` and `http/1.1` by ALPN; each connection speaks whichever the server
    /// selects (HTTP/1.1 when it selects none). `tls` is implied.
    case auto

    /// The ALPN protocols offered on a TLS connection to the cluster, in order of preference.
    /// `http1` offers `http/1.1` (only used with `tls`); `h2c` never does TLS and offers none.
    public var alpn: [ALPNProtocol] {
        switch self {
        case .http1: return [.http11]
        case .h2c: return []
        case .h2: return [.h2]
        case .auto: return [.h2, .http11]
        }
    }

    /// Whether connections always use TLS (`h2`, `auto`); `http1` uses it only when configured.
    var requiresTLS: Bool { self == .h2 || self == .auto }

    /// Whether connections may speak HTTP/2 (`h2c`, `h2`, `auto`), so `http2` settings apply.
    var mayUseHTTP2: Bool { self != .http1 }
}
