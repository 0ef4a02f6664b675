// ListenerConfiguration.swift — one traffic listener.

/// `listeners[i]` — one address that accepts client traffic, and how much it trusts its peers.
public struct ListenerConfiguration: Sendable, Equatable {
    /// `name`. Unique among listeners. Default `listener-<index>` (zero-based).
    public var name: String
    /// `address` (required). IPv4 literal, `[IPv6]` literal or `localhost`, port 0-65535; port 0
    /// is ephemeral and may be used by several listeners. Unique among listeners otherwise.
    public var address: SocketAddressSpec
    /// `trusted_cidrs`. Peers whose address is inside one of these blocks are trusted: their
    /// trace context, correlation id and debug header are honoured. Default loopback
    /// (`127.0.0.0/8`, `::1/128`); `[]` trusts nobody.
    public var trustedCIDRs: [CIDRBlock]
    /// `untrusted_traceparent`: `restart` (default) or `continue`.
    public var untrustedTraceparent: UntrustedTraceparentPolicy
    /// `traceresponse`: `trusted` (default), `always` or `never`.
    public var traceresponse: TraceresponsePolicy
    /// `tls`. Default none (cleartext). When present, every connection starts with a TLS
    /// handshake and the protocol is chosen by ALPN.
    public var tls: ListenerTLSConfiguration?
    /// `http2`. Default `true`: serve HTTP/2 next to HTTP/1.1. On a TLS listener HTTP/2 is chosen
    /// by ALPN (`tls.alpn` must then contain `h2`, which it does by default); on a cleartext
    /// listener a connection that opens with the HTTP/2 connection preface
    /// (`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`, RFC 9113 §3.4) is served as h2c with prior
    /// knowledge, anything else as HTTP/1.1. The HTTP/1.1 `Upgrade: h2c` dance is not offered
    /// (RFC 9113 §3.1 deprecates it). `false` serves HTTP/1.1 only: `tls.alpn` then defaults to
    /// `[http/1.1]`, and listing `h2` there is an error.
    public var http2: Bool

    /// A listener with the defaults for everything but its name and address.
    public init(
        name: String,
        address: SocketAddressSpec,
        trustedCIDRs: [CIDRBlock] = CIDRBlock.loopback,
        untrustedTraceparent: UntrustedTraceparentPolicy = .restart,
        traceresponse: TraceresponsePolicy = .trusted,
        tls: ListenerTLSConfiguration? = nil,
        http2: Bool = true
    ) {
        self.name = name
        self.address = address
        self.trustedCIDRs = trustedCIDRs
        self.untrustedTraceparent = untrustedTraceparent
        self.traceresponse = traceresponse
        self.tls = tls
        self.http2 = http2
    }

    /// Whether an IPv4 peer (host byte order) is trusted on this listener.
    public func trusts(ipv4 address: UInt32) -> Bool {
        trustedCIDRs.contains { $0.contains(ipv4: address) }
    }

    /// Whether an IPv6 peer (bytes folded big-endian) is trusted on this listener.
    public func trusts(ipv6 bytes: (UInt64, UInt64)) -> Bool {
        trustedCIDRs.contains { $0.contains(ipv6: bytes) }
    }
}
