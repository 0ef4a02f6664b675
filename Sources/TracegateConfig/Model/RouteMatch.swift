// RouteMatch.swift — the `match:` block of a route.

/// `routes[i].match` — which requests a route takes. Routes are tried in the order listed and the
/// first match wins (the data plane's routing table keeps that order).
public struct RouteMatch: Sendable, Equatable {
    /// `host`. Optional; default any host. Exact (case-insensitive, port ignored) or `*.suffix`.
    public var host: HostMatch
    /// `path_prefix`. Default `/`. Must start with `/`. A plain byte prefix of the request
    /// target's path: `/api` also matches `/apix`, so write `/api/` for a path segment.
    public var pathPrefix: String

    /// The defaults: any host, prefix `/`.
    public init(host: HostMatch = .any, pathPrefix: String = "/") {
        self.host = host
        self.pathPrefix = pathPrefix
    }

    /// Whether a request path (the origin-form target, query included or not) starts with
    /// `pathPrefix`. Hot path: no allocation; case-sensitive (RFC 3986 §6.2.2.1).
    public func matches(path: UnsafeRawBufferPointer) -> Bool {
        guard path.count >= pathPrefix.utf8.count else { return false }
        var index = 0
        for byte in pathPrefix.utf8 {
            if path[index] != byte { return false }
            index += 1
        }
        return true
    }

    /// Validates `path_prefix`: starts with `/`, no whitespace, controls, `?` or `#`.
    static func checkPathPrefix(_ text: String) throws(ValueSyntaxError) -> String {
        guard text.hasPrefix("/") else { throw ValueSyntaxError("must start with \"/\"") }
        let bad = text.utf8.first { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        if bad != nil {
            throw ValueSyntaxError("invalid path prefix \"\(text)\": no spaces, control characters, \"?\" or \"#\"")
        }
        return text
    }
}
