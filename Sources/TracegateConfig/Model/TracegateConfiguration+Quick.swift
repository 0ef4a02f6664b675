// TracegateConfiguration+Quick.swift — the configuration for `tracegate proxy --listen ... --to ...`.

import Foundation
import TracegateResilience

extension TracegateConfiguration {
    /// Builds the configuration of quick mode, validated like a file:
    /// one listener `quick`, one catch-all route `quick` to the cluster `quick` whose endpoints
    /// are the `--to` upstreams; every other key at its default.
    ///
    /// - Parameters:
    ///   - listen: `--listen`, e.g. `127.0.0.1:8080` (IPv4, `[IPv6]` or `localhost`; port 0-65535).
    ///   - upstreams: each `--to`: `http://host[:port]` (HTTP/1.1, port 80 when omitted),
    ///     `h2c://host[:port]` (HTTP/2 prior knowledge, port 80), `https://host[:port]` (TLS,
    ///     protocol `auto`, verified against the system store with the host as server name, port
    ///     443), or `host:port` (as `http://`). All must use the same scheme (one cluster, one
    ///     protocol): `--to[1]: every upstream of quick mode must use the same scheme (got h2c
    ///     after http)`. Other schemes are rejected (`--to[1]: unsupported scheme "ftp" …`).
    ///   - admin: `--admin`; default `127.0.0.1:9901`.
    ///   - workers: `--workers`; default 0 (one per core); 0...256.
    ///   - trust: `--trust` CIDRs (each value may hold several, comma-separated); nil keeps the
    ///     loopback default, `["none"]` trusts nobody.
    ///   - tlsCertificate: `--tls-cert`, a PEM certificate chain; with `tlsKey` the listener
    ///     serves TLS with every `listeners[].tls` default (HTTP/2 and HTTP/1.1 by ALPN). Both or
    ///     neither.
    ///   - tlsKey: `--tls-key`, the PEM private key of `tlsCertificate`.
    ///   - upstreamCA: `--to-ca`, a PEM file of CAs trusted for `https` upstreams (and an
    ///     `https` mirror) instead of the system store; only when one of them is `https`.
    ///   - mirror: `--mirror`, `http://host[:port]`, `https://host[:port]` or `host:port`: adds the
    ///     cluster `mirror` (`protocol: http1`, TLS for `https`, verified with `--to-ca` when
    ///     given) and a `mirror:` on the route with every other default. Not one of the `--to`
    ///     endpoints.
    ///   - mirrorFraction: `--mirror-fraction`, the share of traces mirrored (0...1, default 1);
    ///     only with `mirror`.
    ///   - retries: `--retries`, 0...99: the route's `retry:` gets `max_attempts` N + 1 and the
    ///     default `retry_on` (0 turns off even the default retry after a connect failure);
    ///     nil keeps the route without a `retry:` block.
    ///   - retryBudget: `--retry-budget`, the `quick` cluster's `retry_budget.retry_ratio`.
    /// - Throws: `ConfigErrors` whose key paths name the flags: `--listen`, `--to[i]`, `--admin`,
    ///   `--workers`, `--trust[i]` (zero-based occurrence index), `--tls-cert`, `--tls-key`,
    ///   `--to-ca`, `--mirror`, `--mirror-fraction`, `--retries`, `--retry-budget`. File flags are
    ///   checked like file keys (`--tls-key: cannot read "key.pem": No such file or directory`);
    ///   relative paths are relative to the current directory.
    public static func quick(
        listen: String,
        upstreams: [String],
        admin: String? = nil,
        workers: Int? = nil,
        trust: [String]? = nil,
        tlsCertificate: String? = nil,
        tlsKey: String? = nil,
        upstreamCA: String? = nil,
        mirror: String? = nil,
        mirrorFraction: Double? = nil,
        retries: Int? = nil,
        retryBudget: Double? = nil
    ) throws(ConfigErrors) -> TracegateConfiguration {
        var diagnostics = Diagnostics()
        let listenAddress = flagValue("--listen", listen, &diagnostics, parseListen)
        let listenerTLS = quickListenerTLS(certificate: tlsCertificate, key: tlsKey, &diagnostics)
        if upstreams.isEmpty {
            diagnostics.report(.flag("--to"), "at least one upstream is required", at: nil)
        }
        var endpoints: [SocketAddressSpec] = []
        var scheme: QuickScheme?
        for (index, upstream) in upstreams.enumerated() {
            guard let (upstreamScheme, endpoint) = flagValue("--to[\(index)]", upstream, &diagnostics, parseUpstream)
            else { continue }
            if let scheme, scheme != upstreamScheme {
                diagnostics.report(
                    .flag("--to[\(index)]"),
                    "every upstream of quick mode must use the same scheme (got \(upstreamScheme) after \(scheme))",
                    at: nil
                )
                continue
            }
            scheme = upstreamScheme
            if endpoints.contains(endpoint) {
                diagnostics.report(.flag("--to[\(index)]"), "duplicate endpoint \(endpoint)", at: nil)
            } else {
                endpoints.append(endpoint)
            }
        }
        let mirrorTarget = mirror.flatMap { quickMirrorTarget($0, upstreams: endpoints, &diagnostics) }
        let caFile = quickCAFile(
            upstreamCA,
            schemes: [scheme ?? .http] + (mirrorTarget.map { [$0.scheme] } ?? []),
            &diagnostics
        )
        let upstreamTLS = scheme == .https ? UpstreamTLSConfiguration(caFile: caFile) : nil
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
        let selector = quickMirrorSelector(mirrorFraction, hasMirror: mirror != nil, &diagnostics)
        let retryPolicy = retries.flatMap { quickRetryPolicy(retries: $0, &diagnostics) }
        let budget = retryBudget.flatMap { ratio in
            quickResilience("--retry-budget", &diagnostics) { () throws(ResilienceConfigError) in
                try RetryBudget.Configuration(retryRatio: ratio)
            }
        }
        guard diagnostics.isEmpty, let listenAddress else { throw ConfigErrors(errors: diagnostics.errors) }

        let upstreamProtocol = (scheme ?? .http).upstreamProtocol
        let upstreamList = endpoints.map(\.description).joined(separator: ",")
        let trustList = trusted.map(\.description).joined(separator: ",")
        // The flags of earlier versions keep their rendering (and so their hash); each newer flag
        // is appended only when it changes the configuration.
        var canonical =
            "quick listen=\(listenAddress) to=\(upstreamList) admin=\(adminConfig.address) "
            + "workers=\(workers ?? 0) trust=\(trustList)"
        if upstreamProtocol != .http1 { canonical += " protocol=\(upstreamProtocol.rawValue)" }
        if let certificate = listenerTLS?.certificate {
            canonical += " tls-cert=\(certificate.certificateChain) tls-key=\(certificate.privateKey)"
        }
        if let caFile { canonical += " to-ca=\(caFile)" }
        var route = RouteConfiguration(name: "quick", cluster: "quick", retry: retryPolicy)
        var clusters = [
            ClusterConfiguration(name: "quick", endpoints: endpoints, protocol: upstreamProtocol, tls: upstreamTLS)
        ]
        if let budget { clusters[0].retryBudget = budget }
        if let mirrorTarget, let selector {
            route.mirror = MirrorConfiguration(cluster: "mirror", selector: selector)
            let tls = mirrorTarget.scheme == .https ? UpstreamTLSConfiguration(caFile: caFile) : nil
            clusters.append(ClusterConfiguration(name: "mirror", endpoints: [mirrorTarget.endpoint], tls: tls))
            canonical += " mirror=\(mirrorTarget.scheme)://\(mirrorTarget.endpoint)"
        }
        if let mirrorFraction { canonical += " mirror-fraction=\(mirrorFraction)" }
        if let retries { canonical += " retries=\(retries)" }
        if let retryBudget { canonical += " retry-budget=\(retryBudget)" }
        return TracegateConfiguration(
            workers: workers ?? 0,
            admin: adminConfig,
            listeners: [
                ListenerConfiguration(name: "quick", address: listenAddress, trustedCIDRs: trusted, tls: listenerTLS)
            ],
            routes: [route],
            clusters: clusters,
            sourceHash: FNV1a.hex(canonical)
        )
    }

    /// `--mirror`: an `http` or `https` URL (or `host:port`) that is none of the `--to`
    /// endpoints. `h2c` is refused: a mirror cluster speaks HTTP/1.1.
    private static func quickMirrorTarget(
        _ text: String,
        upstreams: [SocketAddressSpec],
        _ diagnostics: inout Diagnostics
    ) -> (scheme: QuickScheme, endpoint: SocketAddressSpec)? {
        guard let (scheme, endpoint) = flagValue("--mirror", text, &diagnostics, parseUpstream) else { return nil }
        if scheme == .h2c {
            diagnostics.report(
                .flag("--mirror"),
                "use http:// or https:// (a mirror cluster speaks HTTP/1.1; got h2c)",
                at: nil
            )
            return nil
        }
        if let index = upstreams.firstIndex(of: endpoint) {
            diagnostics.report(
                .flag("--mirror"),
                "\(endpoint) is also an upstream (--to[\(index)]); mirror to a different service",
                at: nil
            )
            return nil
        }
        return (scheme, endpoint)
    }

    /// `--to-ca`'s file when it can be read; an error when no `https` connection would use it.
    private static func quickCAFile(
        _ path: String?,
        schemes: [QuickScheme],
        _ diagnostics: inout Diagnostics
    ) -> String? {
        guard let path else { return nil }
        guard schemes.contains(.https) else {
            diagnostics.report(.flag("--to-ca"), "only applies to https upstreams (got \(schemes[0]))", at: nil)
            return nil
        }
        return readableFlagFile("--to-ca", path, &diagnostics)
    }

    /// `--mirror-fraction` (only with `--mirror`), or every trace when it is absent.
    private static func quickMirrorSelector(
        _ fraction: Double?,
        hasMirror: Bool,
        _ diagnostics: inout Diagnostics
    ) -> MirrorSelector? {
        if fraction != nil, !hasMirror {
            diagnostics.report(.flag("--mirror-fraction"), "requires --mirror", at: nil)
            return nil
        }
        guard hasMirror else { return nil }
        return quickResilience("--mirror-fraction", &diagnostics) { () throws(ResilienceConfigError) in
            try MirrorSelector(fraction: fraction ?? 1)
        }
    }

    /// `--retries N`: N retries after the first attempt, on the default conditions.
    private static func quickRetryPolicy(retries: Int, _ diagnostics: inout Diagnostics) -> RetryPolicy? {
        guard (0...99).contains(retries) else {
            diagnostics.report(.flag("--retries"), "must be between 0 and 99 (got \(retries))", at: nil)
            return nil
        }
        return quickResilience("--retries", &diagnostics) { () throws(ResilienceConfigError) in
            try RetryPolicy(maxAttempts: retries + 1)
        }
    }

    /// Runs a resilience initialiser for a flag; its error is reported under the flag's name.
    private static func quickResilience<T>(
        _ flag: String,
        _ diagnostics: inout Diagnostics,
        _ make: () throws(ResilienceConfigError) -> T
    ) -> T? {
        do {
            return try make()
        } catch {
            diagnostics.report(.flag(flag), error.reason, at: nil)
            return nil
        }
    }

    /// `--tls-cert` and `--tls-key`: both (a TLS listener with the defaults) or neither.
    private static func quickListenerTLS(
        certificate: String?,
        key: String?,
        _ diagnostics: inout Diagnostics
    ) -> ListenerTLSConfiguration? {
        let chain = certificate.flatMap { readableFlagFile("--tls-cert", $0, &diagnostics) }
        let privateKey = key.flatMap { readableFlagFile("--tls-key", $0, &diagnostics) }
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (.some, nil):
            diagnostics.report(.flag("--tls-key"), "required with --tls-cert", at: nil)
            return nil
        case (nil, .some):
            diagnostics.report(.flag("--tls-cert"), "required with --tls-key", at: nil)
            return nil
        case (.some, .some):
            guard let chain, let privateKey else { return nil }
            let certificate = CertificateFiles(certificateChain: chain, privateKey: privateKey)
            return ListenerTLSConfiguration(certificate: certificate)
        }
    }

    /// A file flag's value when the file can be read; otherwise reports why under the flag.
    private static func readableFlagFile(_ flag: String, _ path: String, _ diagnostics: inout Diagnostics) -> String? {
        guard !path.isEmpty else {
            diagnostics.report(.flag(flag), "must not be empty", at: nil)
            return nil
        }
        if let problem = FilePaths.readProblem(path) {
            diagnostics.report(.flag(flag), "cannot read \"\(path)\": \(problem)", at: nil)
            return nil
        }
        return path
    }

    /// A listen or admin address: IPv4, `[IPv6]` or `localhost`, port 0-65535.
    static func parseListen(_ text: String) throws(ValueSyntaxError) -> SocketAddressSpec {
        try SocketAddressSpec.parseChecked(text, allowHostnames: false, ports: 0...65535)
    }

    /// `scheme://host[:port][/]` (`http`, `h2c`, `https`) or `host:port` (as `http`).
    static func parseUpstream(_ text: String) throws(ValueSyntaxError) -> (QuickScheme, SocketAddressSpec) {
        var authority = Substring(text)
        var scheme = QuickScheme.http
        if let schemeEnd = text.range(of: "://") {
            let name = text[..<schemeEnd.lowerBound].lowercased()
            guard let known = QuickScheme(rawValue: name) else {
                throw ValueSyntaxError("unsupported scheme \"\(name)\" (use http, h2c or https)")
            }
            scheme = known
            authority = text[schemeEnd.upperBound...]
            if authority.hasSuffix("/") { authority = authority.dropLast() }
            if authority.contains("/") || authority.contains("?") || authority.contains("#") {
                throw ValueSyntaxError("\"\(text)\": upstream URLs cannot have a path or query")
            }
            let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
            if !authority[hostEnd...].contains(":") { authority += ":\(scheme.defaultPort)" }
        }
        let endpoint = try SocketAddressSpec.parseChecked(String(authority), allowHostnames: true, ports: 1...65535)
        return (scheme, endpoint)
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

/// The URL schemes quick mode's `--to` accepts, and what each means for the cluster.
enum QuickScheme: String, CustomStringConvertible {
    /// HTTP/1.1 over cleartext TCP; also what a bare `host:port` means.
    case http
    /// HTTP/2 with prior knowledge over cleartext TCP.
    case h2c
    /// TLS, HTTP/2 or HTTP/1.1 by ALPN (`protocol: auto`): what an `https` URL can be served by.
    case https

    var upstreamProtocol: UpstreamProtocol {
        switch self {
        case .http: return .http1
        case .h2c: return .h2c
        case .https: return .auto
        }
    }

    /// The port when the URL has none (RFC 9110 §4.2.1, §4.2.2; h2c shares http's port).
    var defaultPort: Int { self == .https ? 443 : 80 }

    var description: String { rawValue }
}
