// OTLPEndpoint.swift — where the collector listens.

/// An OTLP/HTTP collector address: `http://host[:port][/path]`.
///
/// Built from the configuration's validated URL (`TracegateConfig.OTLPEndpoint`, which reports a
/// typo at start-up with its key path or variable name). DNS names are kept as names and
/// resolved at connect time, so a collector behind a changing address is found again after a
/// reconnect.
public struct OTLPEndpoint: Sendable, Equatable {
    /// The host part of the URL.
    public enum Host: Sendable, Equatable {
        /// A dotted-quad literal.
        case ipv4(String)
        /// An IPv6 literal, without the brackets.
        case ipv6(String)
        /// A DNS name.
        case name(String)
    }

    /// The path OTLP/HTTP collectors serve traces on, used when the URL has no path.
    public static let defaultPath = "/v1/traces"
    /// The port when the URL names none (plain HTTP).
    public static let defaultPort: UInt16 = 80

    public var host: Host
    public var port: UInt16
    /// The request target: path and optional query, starting with "/".
    public var path: String

    public init(host: Host, port: UInt16 = defaultPort, path: String = defaultPath) {
        self.host = host
        self.port = port
        self.path = path
    }

    /// The host as getaddrinfo takes it (no brackets).
    var hostName: String {
        switch host {
        case .ipv4(let text), .ipv6(let text), .name(let text): return text
        }
    }

    /// The host as it appears in a URL: IPv6 in brackets.
    var bracketedHost: String {
        if case .ipv6(let text) = host { return "[\(text)]" }
        return hostName
    }

    /// `host:port`, for messages.
    var authority: String { "\(bracketedHost):\(port)" }

    /// The `Host` header value (RFC 9110 §7.2): the port only when it is not 80.
    var hostHeader: String {
        port == Self.defaultPort ? bracketedHost : authority
    }
}

extension OTLPEndpoint: CustomStringConvertible {
    /// The URL, in the normalised form (explicit port).
    public var description: String {
        "http://\(authority)\(path)"
    }
}
