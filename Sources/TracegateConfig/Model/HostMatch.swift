// HostMatch.swift — the `match.host` of a route, and its allocation-free matcher.

/// `routes[i].match.host` — which request hosts a route accepts.
///
/// Host names are case-insensitive (RFC 9110 §4.2.3) and the request's port is ignored, so
/// `api.example.com` matches `Host: API.example.com:8443`. A leading `*.` is a suffix wildcard:
/// `*.example.com` matches `a.example.com` and `a.b.example.com` but not `example.com`.
public enum HostMatch: Sendable, Equatable, CustomStringConvertible {
    /// No `host` given (or `*`): every host.
    case any
    /// An exact host, lowercase, without port.
    case exact(String)
    /// A wildcard; the associated value is the lowercase suffix including its leading dot
    /// (`.example.com` for `*.example.com`).
    case suffix(String)

    /// `*`, `api.example.com` or `*.example.com`.
    public var description: String {
        switch self {
        case .any: return "*"
        case .exact(let host): return host
        case .suffix(let suffix): return "*" + suffix
        }
    }

    /// Whether a request's host matches.
    ///
    /// Hot path: no allocation. `host` is the raw `Host` header value (or HTTP/2 `:authority`),
    /// possibly with a port (`example.com:8080`, `[::1]:8080`) and a trailing dot.
    public func matches(host: UnsafeRawBufferPointer) -> Bool {
        let name = Self.hostWithoutPort(host)
        switch self {
        case .any:
            return true
        case .exact(let pattern):
            return name.count == pattern.utf8.count && Self.equalsLowercased(name, pattern, offset: 0)
        case .suffix(let pattern):
            let length = pattern.utf8.count
            return name.count > length && Self.equalsLowercased(name, pattern, offset: name.count - length)
        }
    }

    /// The host part of `host`: drops `:port` (after `]` for IPv6 literals) and one trailing dot.
    static func hostWithoutPort(_ host: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        var end = host.count
        if let first = host.first, first == UInt8(ascii: "[") {
            if let close = host.firstIndex(of: UInt8(ascii: "]")) { end = close + 1 }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            end = colon
        }
        if end > 0, host[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return host[0..<end]
    }

    /// Compares `pattern` (already lowercase) with `name[offset...]`, ASCII case-insensitively.
    private static func equalsLowercased(
        _ name: Slice<UnsafeRawBufferPointer>,
        _ pattern: String,
        offset: Int
    ) -> Bool {
        var index = name.startIndex + offset
        for expected in pattern.utf8 {
            var byte = name[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != expected { return false }
            index += 1
        }
        return true
    }

    /// Parses the configuration text.
    static func parseChecked(_ text: String) throws(ValueSyntaxError) -> HostMatch {
        let lowered = text.lowercased()
        if lowered == "*" { return .any }
        if lowered.hasPrefix("*.") {
            let rest = String(lowered.dropFirst(2))
            guard isHost(rest) else { throw ValueSyntaxError("invalid host wildcard \"\(text)\"") }
            // Like exact hosts, a trailing dot is dropped: matching drops the request's own.
            return .suffix("." + (rest.hasSuffix(".") ? String(rest.dropLast()) : rest))
        }
        if lowered.contains("*") {
            throw ValueSyntaxError("invalid host \"\(text)\": \"*\" is only allowed as a leading \"*.\"")
        }
        if lowered.hasPrefix("[") {
            guard lowered.hasSuffix("]"), let v6 = IPAddressText.parseIPv6(lowered.dropFirst().dropLast()) else {
                throw ValueSyntaxError("invalid host \"\(text)\"")
            }
            return .exact("[" + IPAddressText.formatIPv6(high: v6.0, low: v6.1) + "]")
        }
        if lowered.contains(":") {
            throw ValueSyntaxError("host \"\(text)\" must not include a port (ports are ignored when matching)")
        }
        guard isHost(lowered) else { throw ValueSyntaxError("invalid host \"\(text)\"") }
        return .exact(lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered)
    }

    private static func isHost(_ text: String) -> Bool {
        (try? SocketAddressSpec.parseChecked(text + ":1", allowHostnames: true, ports: 1...1)) != nil
    }
}
