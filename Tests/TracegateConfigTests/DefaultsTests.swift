// DefaultsTests.swift — every default, the embedded default and the example files.

import Testing
import TracegateConfig
import TracegateResilience

@Suite("Defaults")
struct DefaultsTests {
    @Test("a minimal document gets every documented default")
    func everyDefault() throws {
        let config = try #require(loadValid(baseYAML))
        #expect(config.workers == 0)
        #expect(config.admin.address == SocketAddressSpec(host: "127.0.0.1", port: 9901))

        let listener = try #require(config.listeners.first)
        #expect(listener.name == "listener-0")
        #expect(listener.address.description == "127.0.0.1:8080")
        #expect(listener.trustedCIDRs.map(\.description) == ["127.0.0.0/8", "::1/128"])
        #expect(listener.untrustedTraceparent == .restart)
        #expect(listener.traceresponse == .trusted)
        #expect(listener.tls == nil)
        #expect(listener.http2 == true)

        let route = try #require(config.routes.first)
        #expect(route.name == "route-0")
        #expect(route.match.host == .any)
        #expect(route.match.pathPrefix == "/")
        #expect(route.cluster == "c")
        #expect(route.timeout == .seconds(30))

        let cluster = try #require(config.clusters.first)
        #expect(cluster.balancing == .roundRobin)
        #expect(cluster.connectTimeout == .seconds(1))
        #expect(cluster.pool == PoolConfiguration(maxConnections: 1024, maxIdle: 128, idleTimeout: .seconds(60)))
        #expect(cluster.protocol == .http1)
        #expect(cluster.tls == nil)
        #expect(cluster.http2.maxConcurrentStreamsPerConnection == 100)

        #expect(config.limits.maxHeaderBytes == 65_536)
        #expect(config.limits.maxHeaderCount == 100)
        #expect(config.limits.maxURILength == 8_192)
        #expect(config.limits.maxRequestBodyBytes == 1_073_741_824)
        #expect(config.limits.maxConnections == 10_000)
        #expect(config.limits.http2 == HTTP2LimitsConfiguration())

        #expect(config.timeouts.headerRead == .seconds(10))
        #expect(config.timeouts.keepaliveIdle == .seconds(60))
        #expect(config.timeouts.upstreamResponse == .seconds(30))
        #expect(config.timeouts.drain == .seconds(30))

        let context = config.context
        #expect(context.samplingRatio == 1.0)
        #expect(context.correlation.header == "x-correlation-id")
        #expect(context.correlation.aliases == ["x-request-id"])
        #expect(context.correlation.generate == .traceID)
        #expect(context.correlation.maxLength == 128)
        #expect(context.session.cookie == "session_id")
        #expect(context.session.header == "x-session-id")
        #expect(context.session.issue == false)
        #expect(context.session.idleExpiry == .seconds(1_800))
        #expect(context.session.maxLength == 128)
        #expect(context.baggage.maxMembers == 64)
        #expect(context.baggage.maxBytes == 8_192)
        #expect(context.baggage.untrustedAllowedKeys == [])
        #expect(
            context.baggage.redactKeyPatterns == [
                "password", "passwd", "secret", "token", "authorization", "auth", "api_key", "apikey", "cookie",
                "email", "card", "ssn", "phone",
            ]
        )
        #expect(context.sanitize.stripHeaders == [])
        #expect(context.sanitize.stripPrefixes == ["x-tracegate-"])
        #expect(context.debug.header == "x-debug")
        #expect(context.debug.secretFile == nil)
        #expect(context.debug.maxPerSecond == 10)
        #expect(context.debug.redactHeaders == ["authorization", "proxy-authorization", "cookie", "set-cookie"])
        #expect(config.accessLog.enabled == true)
    }

    @Test("the defaults in code equal the defaults filled in by the loader")
    func codeDefaultsMatchLoader() throws {
        let config = try #require(loadValid(baseYAML))
        #expect(config.limits == LimitsConfiguration())
        #expect(config.timeouts == TimeoutsConfiguration())
        #expect(config.context == ContextConfiguration())
        #expect(config.admin == AdminConfiguration())
        #expect(config.accessLog == AccessLogConfiguration())
    }

    @Test("a route without timeout inherits timeouts.upstream_response, even when written later")
    func routeTimeoutInherits() throws {
        let config = try #require(loadValid(baseYAML + "timeouts: {upstream_response: 5s}\n"))
        #expect(config.routes[0].timeout == .seconds(5))
    }

    @Test("the embedded default loads and says what the brief says")
    func embeddedDefault() throws {
        let config = try TracegateConfiguration.load(yaml: TracegateConfiguration.embeddedDefaultYAML)
        #expect(config == TracegateConfiguration.embeddedDefault())
        #expect(config.listeners.map(\.name) == ["public"])
        #expect(config.listeners[0].address.description == "127.0.0.1:8080")
        #expect(config.listeners[0].trustedCIDRs == CIDRBlock.loopback)
        #expect(config.routes.map(\.name) == ["default"])
        #expect(config.routes[0].match == RouteMatch(host: .any, pathPrefix: "/"))
        #expect(config.routes[0].cluster == "demo")
        #expect(config.clusters.map(\.name) == ["demo"])
        #expect(config.clusters[0].endpoints.map(\.description) == ["127.0.0.1:8081"])
        #expect(config.admin.address.description == "127.0.0.1:9901")
        #expect(config.limits == LimitsConfiguration())
        #expect(config.context == ContextConfiguration())
        #expect(config.embeddedDefaultYAMLHasComments)
    }

    @Test("sourceHash is the FNV-1a 64 of the text")
    func sourceHash() throws {
        let config = try #require(loadValid(baseYAML))
        #expect(config.sourceHash.count == 16)
        #expect(config.sourceHash == fnv1a64Hex(baseYAML))
        let other = try #require(loadValid(baseYAML + "# a comment changes the hash\n"))
        #expect(other.sourceHash != config.sourceHash)
        // Published FNV-1a 64 test vectors.
        #expect(fnv1a64Hex("") == "cbf29ce484222325")
        #expect(fnv1a64Hex("a") == "af63dc4c8601ec8c")
    }

    @Test("the example files load", arguments: ["minimal.yaml", "full.yaml"])
    func examples(file: String) throws {
        let path = packageRoot() + "/deploy/examples/" + file
        let config = try TracegateConfiguration.load(contentsOf: path)
        #expect(!config.listeners.isEmpty)
    }

    @Test("full.yaml sets every key to the value written")
    func fullExample() throws {
        let config = try TracegateConfiguration.load(contentsOf: packageRoot() + "/deploy/examples/full.yaml")
        #expect(config.workers == 4)
        #expect(config.listeners[1].address == SocketAddressSpec(host: "::1", port: 8081, isIPv6Literal: true))
        #expect(config.listeners[1].untrustedTraceparent == .continue)
        #expect(config.listeners[1].traceresponse == .always)
        #expect(config.routes[1].match.host == .suffix(".pay.example.com"))
        #expect(config.routes[1].timeout == .milliseconds(2_500))
        #expect(config.routes[2].timeout == .seconds(30))
        #expect(config.clusters[1].endpoints.map(\.description) == ["payments.internal:8443", "[2001:db8::10]:8080"])
        #expect(config.clusters[1].balancing == .leastRequest)
        #expect(
            config.clusters[1].pool == PoolConfiguration(maxConnections: 256, maxIdle: 32, idleTimeout: .seconds(30))
        )
        #expect(config.context.samplingRatio == 0.25)
        #expect(config.context.session.issue)
        #expect(config.context.baggage.untrustedAllowedKeys == ["tenant", "region"])
        #expect(config.context.sanitize.stripHeaders == ["x-internal-user", "x-admin"])
        #expect(config.context.sanitize.stripPrefixes == ["x-tracegate-", "x-internal-"])
        #expect(config.context.debug.secretFile == "/etc/tracegate/debug.key")
    }

    @Test("full.yaml's retry, mirror, budget, breaker and ejection keys")
    func fullExampleResilience() throws {
        let config = try TracegateConfiguration.load(contentsOf: packageRoot() + "/deploy/examples/full.yaml")
        let api = config.routes[0]
        #expect(
            api.retry
                == (try RetryPolicy(
                    maxAttempts: 3,
                    retryOn: [.connectFailure, .reset, .perTryTimeout, .status502, .status503, .status504],
                    retriableStatusCodes: StatusCodeSet([429]),
                    perTryTimeout: 2_000_000_000,
                    timeout: 10_000_000_000
                ))
        )
        #expect(
            api.mirror
                == MirrorConfiguration(
                    cluster: "staging",
                    selector: try MirrorSelector(fraction: 0.1),
                    methods: [.get, .head],
                    compare: .body
                )
        )
        #expect(config.routes[1].retry == nil && config.routes[1].mirror == nil)
        let backend = config.clusters[0]
        #expect(backend.retryBudget == RetryBudget.Configuration.default)
        #expect(backend.circuitBreakers.limits == ConcurrencyLimit.Configuration.default)
        #expect(
            backend.circuitBreakers.failureRate
                == (try CircuitBreaker.Configuration(
                    minimumCalls: 20,
                    slowCallDuration: 5_000_000_000,
                    openDuration: 30_000_000_000,
                    probeRequests: 3
                ))
        )
        #expect(backend.outlierDetection == OutlierDetector.Configuration.default)
        #expect(config.clusters[1].outlierDetection == nil)
        #expect(config.clusters.map(\.name) == ["backend", "payments", "staging"])
    }

    @Test("full.yaml's TLS and HTTP/2 keys, with paths resolved against its directory")
    func fullExampleTLS() throws {
        let directory = packageRoot() + "/deploy/examples"
        let config = try TracegateConfiguration.load(contentsOf: directory + "/full.yaml")
        #expect(config.listeners.map(\.http2) == [true, false, true])
        #expect(config.listeners[0].tls == nil)
        let tls = try #require(config.listeners[2].tls)
        #expect(tls.certificate.certificateChain == directory + "/tls/edge.pem")
        #expect(tls.certificate.privateKey == directory + "/tls/edge.key")
        #expect(tls.alpn == [.h2, .http11])
        #expect(tls.minVersion == .tls12)
        #expect(tls.sessionTickets)
        #expect(tls.sni.map(\.serverNames) == [[.exact("api.example.com"), .suffix(".api.example.com")]])
        #expect(tls.sni.first?.certificate.certificateChain == directory + "/tls/api.pem")
        #expect(config.clusters[0].protocol == .http1)
        #expect(config.clusters[0].tls == nil)
        let payments = config.clusters[1]
        #expect(payments.protocol == .auto)
        #expect(
            payments.tls
                == UpstreamTLSConfiguration(
                    caFile: directory + "/tls/internal-ca.pem",
                    verify: true,
                    serverName: "payments.internal",
                    clientCertificate: CertificateFiles(
                        certificateChain: directory + "/tls/client.pem",
                        privateKey: directory + "/tls/client.key"
                    )
                )
        )
        #expect(payments.http2.maxConcurrentStreamsPerConnection == 100)
        #expect(config.limits.http2 == HTTP2LimitsConfiguration())
    }

    @Test("null cookie means no session cookie")
    func nullCookie() throws {
        let config = try #require(loadValid(baseYAML + "context: {session: {cookie: null}}\n"))
        #expect(config.context.session.cookie == nil)
    }
}

extension TracegateConfiguration {
    /// The embedded default is meant to be read by newcomers: it must explain itself.
    var embeddedDefaultYAMLHasComments: Bool {
        Self.embeddedDefaultYAML.split(separator: "\n").filter { $0.drop(while: { $0 == " " }).hasPrefix("#") }.count
            >= 10
    }
}

/// Independent FNV-1a 64 for checking `sourceHash`.
func fnv1a64Hex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
