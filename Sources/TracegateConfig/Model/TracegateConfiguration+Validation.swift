// TracegateConfiguration+Validation.swift — checks that span sections: names, addresses, references.

/// Checks across list items and sections, run after every section has been read so that one
/// run reports all of them together with the per-field errors.
enum Validation {
    /// Runs every cross-section check.
    static func check(
        admin: (address: SocketAddressSpec, field: Field),
        listeners: [Decoded<ListenerConfiguration>],
        routes: [Decoded<RouteConfiguration>],
        clusters: [Decoded<ClusterConfiguration>],
        _ diagnostics: inout Diagnostics
    ) {
        uniqueNames(listeners, what: "listener", name: \.name, &diagnostics)
        uniqueNames(routes, what: "route", name: \.name, &diagnostics)
        uniqueNames(clusters, what: "cluster", name: \.name, &diagnostics)
        listenerAddresses(listeners, &diagnostics)
        listenerProtocols(listeners, &diagnostics)
        clusterProtocols(clusters, &diagnostics)
        for listener in listeners {
            let address = listener.value.address
            guard let reason = conflict(admin.address, address, owner: listener.path) else { continue }
            admin.field.report(reason, &diagnostics)
        }
        let clusterNames = Set(clusters.map(\.value.name))
        for route in routes where !clusterNames.contains(route.value.cluster) {
            route.report("cluster", "unknown cluster \"\(route.value.cluster)\"", &diagnostics)
        }
        shadowedRoutes(routes, &diagnostics)
        mirrorClusters(routes, clusters, &diagnostics)
    }

    /// Why address `a` cannot be bound next to `b` (bound by `owner`), or nil when they can
    /// coexist. Port 0 never collides (each bind gets its own ephemeral port). `0.0.0.0` covers
    /// every IPv4 address and `::` every address (Linux binds `::` dual-stack by default); with
    /// `SO_REUSEPORT` such overlaps would bind without error and split traffic silently, so they
    /// are rejected here.
    static func conflict(_ a: SocketAddressSpec, _ b: SocketAddressSpec, owner: ConfigPath) -> String? {
        guard a.port != 0, a.port == b.port else { return nil }
        if a == b { return "\(a) is already used by \(owner)" }
        return covers(a, b) || covers(b, a) ? "\(a) overlaps \(b) of \(owner)" : nil
    }

    private static func covers(_ wildcard: SocketAddressSpec, _ other: SocketAddressSpec) -> Bool {
        if wildcard.isIPv6Literal && wildcard.host == "::" { return true }
        return wildcard.host == "0.0.0.0" && !other.isIPv6Literal
    }

    private static func uniqueNames<T>(
        _ items: [Decoded<T>],
        what: String,
        name: KeyPath<T, String>,
        _ diagnostics: inout Diagnostics
    ) {
        var firstUse: [String: ConfigPath] = [:]
        for item in items {
            let value = item.value[keyPath: name]
            if let first = firstUse[value] {
                item.report("name", "duplicate \(what) name \"\(value)\" (first used by \(first))", &diagnostics)
            } else {
                firstUse[value] = item.path
            }
        }
    }

    private static func listenerAddresses(
        _ listeners: [Decoded<ListenerConfiguration>],
        _ diagnostics: inout Diagnostics
    ) {
        for (index, listener) in listeners.enumerated() {
            let address = listener.value.address
            for earlier in listeners[..<index] {
                guard let reason = conflict(address, earlier.value.address, owner: earlier.path) else { continue }
                listener.report("address", reason, &diagnostics)
                break
            }
        }
    }

    /// `http2: false` with `h2` written in `tls.alpn`: the two keys contradict each other, and
    /// silently dropping `h2` would hide which one the operator meant. (Without `alpn` the default
    /// already follows `http2`.)
    private static func listenerProtocols(
        _ listeners: [Decoded<ListenerConfiguration>],
        _ diagnostics: inout Diagnostics
    ) {
        for listener in listeners where !listener.value.http2 {
            guard let tls = listener.value.tls, tls.alpn.contains(.h2),
                let alpnField = listener.mapping["tls"]?.child("alpn")
            else { continue }
            alpnField.report("lists h2 but http2 is false (remove h2, or set http2: true)", &diagnostics)
        }
    }

    /// `tls` and `http2` must suit the cluster's `protocol`: h2c is cleartext by definition, and
    /// HTTP/2 settings on an HTTP/1.1 cluster would do nothing.
    private static func clusterProtocols(
        _ clusters: [Decoded<ClusterConfiguration>],
        _ diagnostics: inout Diagnostics
    ) {
        for cluster in clusters {
            let upstream = cluster.value.protocol
            if upstream == .h2c, let tlsField = cluster.mapping["tls"] {
                tlsField.report(
                    "h2c is HTTP/2 over cleartext TCP; remove tls, or use protocol h2 (or auto) for HTTP/2 over TLS",
                    &diagnostics
                )
            }
            if !upstream.mayUseHTTP2, let http2Field = cluster.mapping["http2"] {
                http2Field.report(
                    "applies only to HTTP/2 upstreams (protocol h2c, h2 or auto); this cluster's protocol is http1",
                    &diagnostics
                )
            }
        }
    }

    /// A route's `mirror.cluster` must name a cluster other than the route's own (a copy to the
    /// same upstreams doubles their load and compares a service with itself), and that cluster
    /// must speak HTTP/1.1: the shadow exchange replays the request as HTTP/1.1 text on its own
    /// connection, which an HTTP/2 (`h2c`, `h2`, `auto`) connection cannot take.
    private static func mirrorClusters(
        _ routes: [Decoded<RouteConfiguration>],
        _ clusters: [Decoded<ClusterConfiguration>],
        _ diagnostics: inout Diagnostics
    ) {
        for route in routes {
            guard let mirror = route.value.mirror, let mirrorField = route.mapping["mirror"] else { continue }
            let field = mirrorField.child("cluster") ?? mirrorField
            guard let cluster = clusters.first(where: { $0.value.name == mirror.cluster })?.value else {
                let hint = Suggestion.hint(for: mirror.cluster, among: clusters.map(\.value.name))
                field.report("unknown cluster \"\(mirror.cluster)\"\(hint)", &diagnostics)
                continue
            }
            if cluster.name == route.value.cluster {
                field.report(
                    "\"\(cluster.name)\" is the route's own cluster; mirror to a different cluster",
                    &diagnostics
                )
            } else if cluster.protocol != .http1 {
                field.report(
                    "cluster \"\(cluster.name)\" has protocol \(cluster.protocol.rawValue); "
                        + "a mirror cluster must use protocol http1 (with or without tls)",
                    &diagnostics
                )
            }
        }
    }

    /// A route whose host and prefix repeat an earlier route's can never match (first match wins).
    private static func shadowedRoutes(_ routes: [Decoded<RouteConfiguration>], _ diagnostics: inout Diagnostics) {
        for (index, route) in routes.enumerated() {
            guard let earlier = routes[..<index].first(where: { $0.value.match == route.value.match }) else {
                continue
            }
            route.report(
                "match",
                "same host and path_prefix as \(earlier.path), so this route can never match",
                &diagnostics
            )
        }
    }
}
