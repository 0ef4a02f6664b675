// OTLPEndpoint.swift — the collector URL spans are POSTed to.

/// An OTLP/HTTP traces endpoint: `http://host[:port][/path]`.
///
/// Only cleartext HTTP for now: the exporter runs on the control side with plain sockets, and TLS
/// arrives with OpenSSL on the data plane (issue 6). Pointing Tracegate at a local or sidecar
/// OpenTelemetry Collector is the usual deployment anyway. An empty path means `/v1/traces`
/// (the OTLP/HTTP default, as `OTEL_EXPORTER_OTLP_ENDPOINT` specifies).
public struct OTLPEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Hostname (lowercased) or IP literal, without brackets.
    public var host: String
    public var port: Int
    /// Starts with "/".
    public var path: String
    public var isIPv6Literal: Bool

    public init(host: String, port: Int = 4318, path: String = "/v1/traces", isIPv6Literal: Bool = false) {
        self.host = host
        self.port = port
        self.path = path
        self.isIPv6Literal = isIPv6Literal
    }

    /// True when `host` is a dotted-quad IPv4 literal (not a name to resolve).
    public var isIPv4Literal: Bool { !isIPv6Literal && IPAddressText.parseIPv4(host) != nil }

    public var description: String {
        let h = isIPv6Literal ? "[\(host)]" : host
        return "http://\(h):\(port)\(path)"
    }

    /// Why a URL is not a usable endpoint.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case https
        case scheme
        case host
        case port
        case query

        public var description: String {
            switch self {
            case .https: "https collector endpoints are not supported yet (the exporter has no TLS); use http:// to a local or sidecar OpenTelemetry Collector"
            case .scheme: "expected an http:// URL, e.g. http://127.0.0.1:4318/v1/traces"
            case .host: "the URL has no valid host"
            case .port: "the URL's port must be 1-65535"
            case .query: "the URL must not have a query or fragment"
            }
        }
    }

    /// Parses a full traces URL `http://host[:port][/path]` (an empty path means `/v1/traces`; a
    /// missing port means 80, as in any URL).
    public static func parse(_ text: String) -> Result<OTLPEndpoint, ParseError> {
        let lower = text.lowercased()
        if lower.hasPrefix("https://") { return .failure(.https) }
        guard lower.hasPrefix("http://") else { return .failure(.scheme) }
        let rest = text.dropFirst("http://".count)
        if rest.contains("?") || rest.contains("#") { return .failure(.query) }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[rest.startIndex..<slash])
        let path = slash < rest.endIndex ? String(rest[slash...]) : ""
        guard !authority.isEmpty, !authority.contains("@") else { return .failure(.host) }
        let spec: SocketAddressSpec
        if authority.hasPrefix("[") || authority.contains(":") {
            let withPort = authority.hasSuffix("]") || !authority.contains(":") ? authority + ":80" : authority
            guard let parsed = try? SocketAddressSpec.parseChecked(withPort, allowHostnames: true, ports: 0...65535) else {
                return .failure(authority.hasPrefix("[") ? .host : .port)
            }
            spec = parsed
        } else {
            guard let parsed = try? SocketAddressSpec.parseChecked(authority + ":80", allowHostnames: true, ports: 0...65535) else {
                return .failure(.host)
            }
            spec = parsed
        }
        guard (1...65535).contains(spec.port) else { return .failure(.port) }
        return .success(OTLPEndpoint(host: spec.host, port: spec.port, path: path.isEmpty ? "/v1/traces" : path,
                                     isIPv6Literal: spec.isIPv6Literal))
    }

    /// The base-URL form (`OTEL_EXPORTER_OTLP_ENDPOINT`): the signal path is appended to it.
    public static func parseBase(_ text: String) -> Result<OTLPEndpoint, ParseError> {
        parse(text).map { endpoint in
            var e = endpoint
            let base = text.dropFirst("http://".count).contains("/") ? endpoint.path : ""
            e.path = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
            return e
        }
    }
}
