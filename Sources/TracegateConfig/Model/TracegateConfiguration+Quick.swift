// TracegateConfiguration+Quick.swift — the configuration for `tracegate proxy --listen ... --to ...`.

import Foundation

extension TracegateConfiguration {
    /// Builds the configuration of quick mode, validated like a file:
    /// one listener `quick`, one catch-all route `quick` to the cluster `quick` whose endpoints
    /// are the `--to` upstreams; every other key at its default.
    ///
    /// - Parameters:
    ///   - listen: `--listen`, e.g. `127.0.0.1:8080` (IPv4, `[IPv6]` or `localhost`; port 0-65535).
    ///   - upstreams: each `--to`: `http://host[:port]` (port 80 when omitted) or `host:port`.
    ///     Other schemes are rejected for now (`--to[1]: unsupported scheme "ftp"`).
    ///   - admin: `--admin`; default `127.0.0.1:9901`.
    ///   - workers: `--workers`; default 0 (one per core); 0...256.
    ///   - trust: `--trust` CIDRs (each value may hold several, comma-separated); nil keeps the
    ///     loopback default, `["none"]` trusts nobody.
    /// - Throws: `ConfigErrors` whose key paths name the flags: `--listen`, `--to[i]`, `--admin`,
    ///   `--workers`, `--trust[i]` (zero-based occurrence index).
    public static func quick(
        listen: String,
        upstreams: [String],
        admin: String? = nil,
        workers: Int? = nil,
        trust: [String]? = nil
    ) throws(ConfigErrors) -> TracegateConfiguration {
        var diagnostics = Diagnostics()
        let listenAddress = flagValue("--listen", listen, &diagnostics, parseListen)
        if upstreams.isEmpty {
            diagnostics.report(.flag("--to"), "at least one upstream is required", at: nil)
        }
        var endpoints: [SocketAddressSpec] = []
        for (index, upstream) in upstreams.enumerated() {
            guard let endpoint = flagValue("--to[\(index)]", upstream, &diagnostics, parseUpstream) else { continue }
            if endpoints.contains(endpoint) {
                diagnostics.report(.flag("--to[\(index)]"), "duplicate endpoint \(endpoint)", at: nil)
            } else {
                endpoints.append(endpoint)
            }
        }
        var adminConfig = AdminConfiguration()
        if let admin, let address = flagValue("--admin", admin, &diagnostics, parseListen) {
            adminConfig.address = address
        }
        if let listenAddress,
            let reason = Validation.conflict(adminConfig.address, listenAddress, owner: .flag("--listen"))
        {
            diagnostics.report(.flag("--admin"), reason, at: nil)
        }
        if let workers, !(0...256).contains(workers) {
            diagnostics.report(.flag("--workers"), "must be between 0 and 256 (got \(workers))", at: nil)
        }
        let trusted = trust.map { parseTrust($0, &diagnostics) } ?? CIDRBlock.loopback
        guard diagnostics.isEmpty, let listenAddress else { throw ConfigErrors(errors: diagnostics.errors) }

        let upstreamList = endpoints.map(\.description).joined(separator: ",")
        let trustList = trusted.map(\.description).joined(separator: ",")
        let canonical =
            "quick listen=\(listenAddress) to=\(upstreamList) admin=\(adminConfig.address) "
            + "workers=\(workers ?? 0) trust=\(trustList)"
        return TracegateConfiguration(
            workers: workers ?? 0,
            admin: adminConfig,
            listeners: [ListenerConfiguration(name: "quick", address: listenAddress, trustedCIDRs: trusted)],
            routes: [RouteConfiguration(name: "quick", cluster: "quick")],
            clusters: [ClusterConfiguration(name: "quick", endpoints: endpoints)],
            sourceHash: FNV1a.hex(canonical)
        )
    }

    /// A listen or admin address: IPv4, `[IPv6]` or `localhost`, port 0-65535.
    static func parseListen(_ text: String) throws(ValueSyntaxError) -> SocketAddressSpec {
        try SocketAddressSpec.parseChecked(text, allowHostnames: false, ports: 0...65535)
    }

    /// `http://host[:port][/]` or `host:port`.
    static func parseUpstream(_ text: String) throws(ValueSyntaxError) -> SocketAddressSpec {
        var authority = Substring(text)
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else { throw ValueSyntaxError("unsupported scheme \"\(scheme)\"") }
            authority = text[schemeEnd.upperBound...]
            if authority.hasSuffix("/") { authority = authority.dropLast() }
            if authority.contains("/") || authority.contains("?") || authority.contains("#") {
                throw ValueSyntaxError("\"\(text)\": upstream URLs cannot have a path or query")
            }
            let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
            if !authority[hostEnd...].contains(":") { authority += ":80" }
        }
        return try SocketAddressSpec.parseChecked(String(authority), allowHostnames: true, ports: 1...65535)
    }

    private static func parseTrust(_ values: [String], _ diagnostics: inout Diagnostics) -> [CIDRBlock] {
        if values.count == 1, values[0].lowercased() == "none" { return [] }
        var blocks: [CIDRBlock] = []
        for (index, value) in values.enumerated() {
            for part in value.split(separator: ",") {
                let text = part.trimmingCharacters(in: .whitespaces)
                if text.lowercased() == "none" {
                    diagnostics.report(.flag("--trust[\(index)]"), "\"none\" cannot be combined with CIDRs", at: nil)
                    continue
                }
                do {
                    blocks.append(try CIDRBlock.parseChecked(text))
                } catch {
                    diagnostics.report(.flag("--trust[\(index)]"), error.reason, at: nil)
                }
            }
        }
        return blocks
    }

    /// Runs a validator on a flag's value; its failure is reported under the flag's name.
    private static func flagValue<T>(
        _ flag: String,
        _ text: String,
        _ diagnostics: inout Diagnostics,
        _ parse: (String) throws(ValueSyntaxError) -> T
    ) -> T? {
        do {
            return try parse(text)
        } catch {
            diagnostics.report(.flag(flag), error.reason, at: nil)
            return nil
        }
    }
}
