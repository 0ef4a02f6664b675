// SocketAddressSpec.swift — a validated `host:port` from the configuration.

/// A `host:port` pair as written in the configuration, validated and normalised.
///
/// - `host` never has brackets; IPv6 literals are stored in RFC 5952 canonical form and flagged
///   with `isIPv6Literal` (print with `description` to get `[::1]:8080` back).
/// - Hostnames (cluster endpoints only, plus `localhost` anywhere) are lowercased and left for
///   the caller to resolve; this module does no I/O.
///
/// Listener and admin addresses accept IPv4 literals, `[IPv6]` literals and `localhost`, port
/// 0-65535 (0 asks the kernel for an ephemeral port). Cluster endpoints also accept hostnames,
/// port 1-65535.
public struct SocketAddressSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// IPv4 literal, IPv6 literal without brackets, or a lowercase hostname.
    public var host: String
    /// 0...65535 (0 = ephemeral, listeners only).
    public var port: Int
    /// True when `host` is an IPv6 literal (written in brackets).
    public var isIPv6Literal: Bool

    /// Creates an address without validation (for tests and programmatic configuration).
    public init(host: String, port: Int, isIPv6Literal: Bool = false) {
        self.host = host
        self.port = port
        self.isIPv6Literal = isIPv6Literal
    }

    /// Parses `host:port`, `[ipv6]:port` or `localhost:port`; hostnames are accepted and the
    /// port may be 0...65535. Returns nil when invalid.
    public static func parse(_ text: String) -> SocketAddressSpec? {
        try? parseChecked(text, allowHostnames: true, ports: 0...65535)
    }

    /// True when `host` is a dotted-quad IPv4 literal.
    public var isIPv4Literal: Bool {
        !isIPv6Literal && IPAddressText.parseIPv4(host) != nil
    }

    /// True for `0.0.0.0` and `::` (bind to every interface of the family).
    public var isWildcard: Bool {
        host == "0.0.0.0" || (isIPv6Literal && host == "::")
    }

    /// `host:port`, with brackets around IPv6 literals.
    public var description: String {
        isIPv6Literal ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses with a reason on failure, for configuration errors.
    ///
    /// - Parameters:
    ///   - allowHostnames: accept DNS names (RFC 1123 labels; underscores allowed for
    ///     container-style service names); otherwise only literals and `localhost`.
    ///   - ports: the accepted port range.
    static func parseChecked(
        _ text: String,
        allowHostnames: Bool,
        ports: ClosedRange<Int>
    ) throws(ValueSyntaxError) -> SocketAddressSpec {
        let (hostText, portText, bracketed) = try split(text)
        let port = try parsePort(portText, ports: ports)
        if bracketed {
            guard let v6 = IPAddressText.parseIPv6(hostText) else {
                throw ValueSyntaxError("invalid IPv6 literal \"[\(hostText)]\"")
            }
            return SocketAddressSpec(
                host: IPAddressText.formatIPv6(high: v6.0, low: v6.1),
                port: port,
                isIPv6Literal: true
            )
        }
        let lowered = hostText.lowercased()
        if lowered == "localhost" { return SocketAddressSpec(host: lowered, port: port) }
        let looksNumeric = lowered.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }
        if looksNumeric {
            guard let v4 = IPAddressText.parseIPv4(lowered) else {
                throw ValueSyntaxError("invalid IPv4 address \"\(hostText)\"")
            }
            return SocketAddressSpec(host: IPAddressText.formatIPv4(v4), port: port)
        }
        guard allowHostnames else {
            throw ValueSyntaxError(
                "invalid host \"\(hostText)\": expected an IPv4 literal, an [IPv6] literal or localhost"
            )
        }
        guard isHostname(lowered) else {
            throw ValueSyntaxError("invalid hostname \"\(hostText)\"")
        }
        return SocketAddressSpec(host: lowered, port: port)
    }

    /// A key under which two addresses that would bind the same socket compare equal.
    var bindKey: String { description }

    // MARK: - Private

    private static func split(_ text: String) throws(ValueSyntaxError) -> (Substring, Substring, Bool) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ValueSyntaxError("invalid address \"\(text)\": missing \"]\"")
            }
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else {
                throw ValueSyntaxError("invalid address \"\(text)\": expected host:port")
            }
            return (host, rest.dropFirst(), true)
        }
        guard let colon = text.lastIndex(of: ":") else {
            throw ValueSyntaxError("invalid address \"\(text)\": expected host:port")
        }
        let host = text[..<colon]
        if host.contains(":") {
            throw ValueSyntaxError(
                "invalid address \"\(text)\": IPv6 literals must be in brackets, e.g. \"[::1]:8080\""
            )
        }
        guard !host.isEmpty else {
            throw ValueSyntaxError("invalid address \"\(text)\": missing host (use 0.0.0.0 or [::] for all interfaces)")
        }
        return (host, text[text.index(after: colon)...], false)
    }

    private static func parsePort(_ text: Substring, ports: ClosedRange<Int>) throws(ValueSyntaxError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ValueSyntaxError("invalid port \"\(text)\"")
        }
        guard text.utf8.count <= 6, let port = Int(text), port <= 65535 else {
            throw ValueSyntaxError("invalid port \(text)")
        }
        guard ports.contains(port) else {
            throw ValueSyntaxError("invalid port \(port) (must be \(ports.lowerBound)-\(ports.upperBound))")
        }
        return port
    }

    private static func isHostname(_ host: String) -> Bool {
        var name = Substring(host)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count),
                label.first != "-", label.last != "-",
                label.utf8.allSatisfy({ isLabelByte($0) })
            else { return false }
        }
        return true
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
