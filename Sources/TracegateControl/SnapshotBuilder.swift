// SnapshotBuilder: turns a validated configuration into the runtime snapshot workers use.
import Foundation
import TracegateConfig
import TracegateContext
import TracegateDataPlane
import TracegateH2
import TracegateHTTP
import TracegateTLS

/// Resolves addresses (DNS happens here, on the control side, never on a worker), converts
/// durations to nanoseconds and names to bytes. Resolution failures are reported with key paths,
/// like every other configuration error.
public enum SnapshotBuilder {
    /// Builds the snapshot; routes, clusters and endpoints get their metric slots from `slots`
    /// (only once the whole config resolved, so a rejected reload never takes a slot).
    public static func build(_ config: TracegateConfiguration, version: Int, workers: Int,
                             slots: MetricSlots) throws(ConfigErrors) -> RuntimeSnapshot {
        var errors: [ConfigError] = []
        let edge = edgeSettings(config.context)
        let secret = debugSecret(config.context.debug, errors: &errors)
        var listeners: [RuntimeSnapshot.Listener] = []
        for (i, l) in config.listeners.enumerated() {
            guard let address = resolveOne(l.address, path: "listeners[\(i)].address", errors: &errors) else { continue }
            let policy = edgePolicy(config.context, listener: l, settings: edge, secret: secret, workers: workers)
            let tls = l.tls.flatMap { serverContext($0, path: "listeners[\(i)].tls", errors: &errors) }
            listeners.append(.init(name: l.name, address: address, trust: TrustPolicy(blocks: l.trustedCIDRs), edgePolicy: policy,
                                   http2: l.http2, tls: tls))
        }
        var clusters: [RuntimeSnapshot.Cluster] = []
        for (i, c) in config.clusters.enumerated() {
            var endpoints: [SocketAddress] = []
            for (j, e) in c.endpoints.enumerated() {
                let resolved = SocketAddress.resolve(host: e.host, port: e.port)
                if resolved.isEmpty {
                    errors.append(ConfigError(keyPath: "clusters[\(i)].endpoints[\(j)]", reason: "cannot resolve host \"\(e.host)\""))
                }
                endpoints += resolved.filter { !endpoints.contains($0) }
            }
            var cluster = RuntimeSnapshot.Cluster(
                name: c.name, endpoints: endpoints, balancing: c.balancing == .leastRequest ? .leastRequest : .roundRobin,
                connectTimeoutNanos: nanos(c.connectTimeout), maxConnectionsPerEndpoint: c.pool.maxConnections,
                maxIdlePerEndpoint: c.pool.maxIdle, idleTimeoutNanos: nanos(c.pool.idleTimeout))
            cluster.upstreamProtocol = switch c.protocol {
            case .http1: .http1
            case .h2c: .h2c
            case .h2: .h2
            case .auto: .auto
            }
            cluster.maxStreamsPerConnection = c.http2.maxConcurrentStreamsPerConnection
            if let tls = c.tls {
                cluster.tls = clientContext(tls, alpn: c.protocol.alpn, path: "clusters[\(i)].tls", errors: &errors)
                cluster.serverName = c.endpoints.first.flatMap { tls.serverName(for: $0) }
            }
            cluster.resilience = clusterResilience(c, workers: workers, path: "clusters[\(i)]", errors: &errors)
            clusters.append(cluster)
        }
        var routes: [RuntimeSnapshot.Route] = []
        for (i, r) in config.routes.enumerated() {
            var route = RuntimeSnapshot.Route(
                name: r.name, host: r.match.host, pathPrefix: Array(r.match.pathPrefix.utf8),
                clusterIndex: config.clusterIndex(named: r.cluster) ?? 0, responseTimeoutNanos: nanos(r.timeout))
            // No retry block: one more attempt after a connect failure. A nil per-try timeout stays
            // nil: the worker then uses responseTimeoutNanos for each try.
            route.retry = r.retry ?? .connectFailureOnly
            route.mirror = r.mirror.flatMap {
                mirrorPolicy($0, config: config, workers: workers, path: "routes[\(i)].mirror", errors: &errors)
            }
            route.fault = r.fault
            routes.append(route)
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        assignMetricSlots(routes: &routes, clusters: &clusters, slots: slots)
        let limits = config.limits
        return RuntimeSnapshot(
            version: version, configHash: config.sourceHash, listeners: listeners, routes: routes, clusters: clusters,
            headLimits: HeadLimits(maxHeadBytes: limits.maxHeaderBytes, maxHeaderCount: limits.maxHeaderCount, maxURILength: limits.maxURILength),
            maxRequestBodyBytes: UInt64(max(0, limits.maxRequestBodyBytes)),
            maxConnectionsPerWorker: max(1, limits.maxConnections / max(1, workers)),
            timeouts: .init(headerReadNanos: nanos(config.timeouts.headerRead), keepAliveIdleNanos: nanos(config.timeouts.keepaliveIdle),
                            tunnelIdleNanos: nanos(config.timeouts.tunnelIdle),
                            drainNanos: nanos(config.timeouts.drain)),
            edge: edge,
            accessLog: config.accessLog.enabled,
            http2: http2(limits.http2))
    }

    /// The HTTP/2 settings every client connection announces, and its flood limits.
    static func http2(_ l: HTTP2LimitsConfiguration) -> RuntimeSnapshot.HTTP2 {
        var settings = H2Settings()
        settings.maxConcurrentStreams = UInt32(l.maxConcurrentStreams)
        settings.initialWindowSize = UInt32(l.initialStreamWindow)
        settings.connectionWindowSize = UInt32(l.initialConnectionWindow)
        settings.maxFrameSize = UInt32(l.maxFrameSize)
        settings.maxHeaderListSize = UInt32(l.maxHeaderListSize)
        var limits = H2FloodLimits()
        limits.resetBurst = UInt64(l.resetBurst)
        limits.resetRatePerSecond = UInt64(l.resetRate)
        limits.maxOutboundAcks = l.maxControlFramesQueued
        limits.maxSettingsEntries = l.maxSettingsEntries
        limits.maxHeaderResetsPerConnection = l.maxHeaderResets
        return RuntimeSnapshot.HTTP2(settings: settings, limits: limits)
    }

    /// A listener's TLS context. Built at every load and reload: a reload therefore picks up
    /// renewed certificate files, while accepted connections keep the context they started with.
    static func serverContext(_ t: ListenerTLSConfiguration, path: String, errors: inout [ConfigError]) -> TLSServerContext? {
        do {
            return try TLSServerContext(
                certificateChainFile: t.certificate.certificateChain, privateKeyFile: t.certificate.privateKey,
                alpn: t.alpn.map { $0 == .h2 ? TracegateTLS.ALPNProtocol.h2 : .http11 },
                minimumVersion: t.minVersion == .tls13 ? .tls13 : .tls12, sessionTickets: t.sessionTickets,
                sniCertificates: t.sni.map { sni in
                    SNICertificate(serverNames: sni.serverNames.map(\.description), certificateChainFile: sni.certificate.certificateChain,
                                   privateKeyFile: sni.certificate.privateKey)
                })
        } catch {
            errors.append(ConfigError(keyPath: path, reason: error.description))
            return nil
        }
    }

    /// A cluster's client TLS context (CA, verification, client certificate, ALPN for its protocol).
    static func clientContext(_ t: UpstreamTLSConfiguration, alpn: [TracegateConfig.ALPNProtocol], path: String,
                              errors: inout [ConfigError]) -> TLSClientContext? {
        do {
            return try TLSClientContext(
                caFile: t.caFile, verifyPeer: t.verify, clientCertificateChainFile: t.clientCertificate?.certificateChain,
                clientPrivateKeyFile: t.clientCertificate?.privateKey, alpn: alpn.map { $0 == .h2 ? TracegateTLS.ALPNProtocol.h2 : .http11 })
        } catch {
            errors.append(ConfigError(keyPath: path, reason: error.description))
            return nil
        }
    }

    /// Route → slot, cluster → slot, (cluster, endpoint address) → slot, from the process-wide registry.
    static func assignMetricSlots(routes: inout [RuntimeSnapshot.Route], clusters: inout [RuntimeSnapshot.Cluster], slots: MetricSlots) {
        for i in routes.indices { routes[i].metricSlot = slots.routeSlot(routes[i].name) }
        for i in clusters.indices {
            let name = clusters[i].name
            clusters[i].metricSlot = slots.clusterSlot(name)
            clusters[i].endpointSlots = clusters[i].endpoints.map { slots.endpointSlot(cluster: name, endpoint: $0.description) }
        }
    }

    /// Header names and the shared sanitiser and baggage rules.
    static func edgeSettings(_ c: ContextConfiguration) -> EdgeSettings {
        let sanitizer = HeaderSanitizer(.init(
            extraStripNames: c.sanitize.stripHeaders, stripPrefixes: c.sanitize.stripPrefixes,
            debugHeaderName: c.debug.header, correlationHeaderNames: [c.correlation.header] + c.correlation.aliases,
            sessionHeaderName: c.session.header))
        let baggage = BaggageRules(allowedKeys: c.baggage.untrustedAllowedKeys, redactPatterns: c.baggage.redactKeyPatterns,
                                   maxMembers: c.baggage.maxMembers, maxBytes: c.baggage.maxBytes)
        return EdgeSettings(
            enabled: c.enabled, sanitizer: sanitizer, baggage: baggage, correlationHeader: canonical(c.correlation.header),
            sessionHeader: canonical(c.session.header), debugHeader: canonical(c.debug.header),
            sessionCookie: c.session.cookie ?? "", sessionMaxAgeSeconds: UInt64(max(0, c.session.idleExpiry.components.seconds)),
            redactHeaders: c.debug.redactHeaders)
    }

    /// One listener's edge policy. The debug rate limit is per instance: each worker gets its share.
    static func edgePolicy(_ c: ContextConfiguration, listener: ListenerConfiguration, settings: EdgeSettings,
                           secret: [UInt8]?, workers: Int) -> EdgePolicy {
        let perWorker = c.debug.maxPerSecond == 0 ? 0 : max(1, (c.debug.maxPerSecond + workers - 1) / max(1, workers))
        return EdgePolicy(
            untrustedTraceparent: listener.untrustedTraceparent == .continue ? .continue : .restart,
            traceresponse: listener.traceresponse == .always ? .always : (listener.traceresponse == .never ? .never : .trusted),
            sampler: RatioSampler(ratio: c.samplingRatio),
            samplerMode: c.sampler == .traceIDRatio ? .traceIDRatio : .parentBased,
            // Level 2 (and the W3C conformance suite at strict level 2) inherit a tracestate whose
            // keys repeat — "kept as-is or one of them discarded" — rather than dropping it whole.
            tracestate: TraceStateRules(rejectDuplicateKeys: false),
            correlationMode: c.correlation.generate == .uuid ? .uuid : .traceID,
            correlationMaxLength: c.correlation.maxLength,
            sessionCookieName: Array((c.session.cookie ?? "").utf8),
            sessionMaxLength: c.session.maxLength,
            issueSession: c.session.issue,
            sessionCookieMaxAge: UInt64(max(0, c.session.idleExpiry.components.seconds)),
            sessionCookieSecure: false,
            baggage: settings.baggage,
            debugSecret: secret,
            debugMaxPerSecond: UInt32(perWorker),
            sanitizer: settings.sanitizer)
    }

    /// Reads `context.debug.secret_file` (trailing newline ignored); an unreadable or empty file is an error.
    static func debugSecret(_ d: DebugConfiguration, errors: inout [ConfigError]) -> [UInt8]? {
        guard let path = d.secretFile else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            errors.append(ConfigError(keyPath: "context.debug.secret_file", reason: "cannot read \"\(path)\""))
            return nil
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        if bytes.count < 16 {
            errors.append(ConfigError(keyPath: "context.debug.secret_file", reason: "secret must be at least 16 bytes"))
            return nil
        }
        return bytes
    }

    /// "x-correlation-id" → "X-Correlation-ID"-style capitalisation for names Tracegate writes.
    static func canonical(_ name: String) -> String {
        name.split(separator: "-", omittingEmptySubsequences: false).map { part in
            let lower = part.lowercased()
            if lower == "id" { return "ID" }
            return lower.prefix(1).uppercased() + lower.dropFirst()
        }.joined(separator: "-")
    }

    static func resolveOne(_ spec: SocketAddressSpec, path: String, errors: inout [ConfigError]) -> SocketAddress? {
        guard let first = SocketAddress.resolve(host: spec.host, port: spec.port).first else {
            errors.append(ConfigError(keyPath: path, reason: "cannot resolve host \"\(spec.host)\""))
            return nil
        }
        return first
    }

    public static func nanos(_ d: Duration) -> UInt64 {
        let (s, a) = d.components
        return UInt64(max(0, s)) &* 1_000_000_000 &+ UInt64(max(0, a / 1_000_000_000))
    }
}
