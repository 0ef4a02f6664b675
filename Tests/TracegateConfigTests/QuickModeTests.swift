// QuickModeTests.swift — `tracegate proxy --listen ... --to ...`.

import Foundation
import Testing
import TracegateConfig
import TracegateResilience

@Suite("Quick mode")
struct QuickModeTests {
    func errors(
        listen: String = "127.0.0.1:8080",
        to: [String] = ["127.0.0.1:9000"],
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
    ) -> [String] {
        do {
            _ = try TracegateConfiguration.quick(
                listen: listen,
                upstreams: to,
                admin: admin,
                workers: workers,
                trust: trust,
                tlsCertificate: tlsCertificate,
                tlsKey: tlsKey,
                upstreamCA: upstreamCA,
                mirror: mirror,
                mirrorFraction: mirrorFraction,
                retries: retries,
                retryBudget: retryBudget
            )
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("builds one listener, route and cluster named quick")
    func shape() throws {
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["http://127.0.0.1:9000", "localhost:9001", "http://backend/"],
            admin: nil,
            workers: nil,
            trust: nil
        )
        #expect(config.listeners.map(\.name) == ["quick"])
        #expect(config.listeners[0].address.description == "127.0.0.1:8080")
        #expect(config.listeners[0].trustedCIDRs == CIDRBlock.loopback)
        #expect(config.routes.map(\.name) == ["quick"])
        #expect(config.routes[0].match == RouteMatch())
        #expect(config.routes[0].cluster == "quick")
        #expect(config.clusters.map(\.name) == ["quick"])
        #expect(config.clusters[0].endpoints.map(\.description) == ["127.0.0.1:9000", "localhost:9001", "backend:80"])
        #expect(config.admin == AdminConfiguration())
        #expect(config.workers == 0)
        #expect(config.limits == LimitsConfiguration())
        #expect(config.listeners[0].tls == nil)
        #expect(config.listeners[0].http2)
        #expect(config.clusters[0].protocol == .http1)
        #expect(config.clusters[0].tls == nil)
        #expect(config.sourceHash.count == 16)
    }

    @Test("admin, workers and trust flags")
    func flags() throws {
        let config = try TracegateConfiguration.quick(
            listen: "[::1]:0",
            upstreams: ["[::1]:9000"],
            admin: "127.0.0.1:9902",
            workers: 2,
            trust: ["10.0.0.0/8,192.168.0.0/16", "::1"]
        )
        #expect(config.admin.address.description == "127.0.0.1:9902")
        #expect(config.workers == 2)
        #expect(config.listeners[0].trustedCIDRs.map(\.description) == ["10.0.0.0/8", "192.168.0.0/16", "::1/128"])
        let nobody = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["127.0.0.1:9000"],
            admin: nil,
            workers: nil,
            trust: ["none"]
        )
        #expect(nobody.listeners[0].trustedCIDRs == [])
        #expect(nobody.sourceHash != config.sourceHash)
    }

    @Test("errors name the flag")
    func flagErrors() {
        #expect(
            errors(to: ["http://127.0.0.1:9000", "ftp://files:21"]) == [
                "--to[1]: unsupported scheme \"ftp\" (use http, h2c or https)"
            ]
        )
        #expect(errors(to: []) == ["--to: at least one upstream is required"])
        #expect(
            errors(to: ["http://a:1/path"]) == [
                "--to[0]: \"http://a:1/path\": upstream URLs cannot have a path or query"
            ]
        )
        #expect(errors(to: ["a:1", "a:1"]) == ["--to[1]: duplicate endpoint a:1"])
        #expect(errors(to: ["a"]) == ["--to[0]: invalid address \"a\": expected host:port"])
        #expect(errors(listen: "127.0.0.1:99999") == ["--listen: invalid port 99999"])
        #expect(errors(admin: "127.0.0.1:8080") == ["--admin: 127.0.0.1:8080 is already used by --listen"])
        #expect(errors(workers: 257) == ["--workers: must be between 0 and 256 (got 257)"])
        #expect(
            errors(trust: ["10.0.0.0/8", "bogus"]) == [
                "--trust[1]: invalid CIDR \"bogus\": \"bogus\" is not an IPv4 or IPv6 address"
            ]
        )
        #expect(errors(trust: ["none", "10.0.0.0/8"]) == ["--trust[0]: \"none\" cannot be combined with CIDRs"])
    }

    @Test("every flag error is reported at once, in flag order")
    func allErrors() {
        #expect(
            errors(listen: "nowhere", to: ["gopher://x:70"], workers: -1) == [
                "--listen: invalid address \"nowhere\": expected host:port",
                "--to[0]: unsupported scheme \"gopher\" (use http, h2c or https)",
                "--workers: must be between 0 and 256 (got -1)",
            ]
        )
    }

    @Test("h2c:// upstreams make an h2c cluster, port 80 by default")
    func h2cUpstreams() throws {
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["h2c://grpc.internal", "H2C://[::1]:50051/"]
        )
        #expect(config.clusters[0].protocol == .h2c)
        #expect(config.clusters[0].tls == nil)
        #expect(config.clusters[0].endpoints.map(\.description) == ["grpc.internal:80", "[::1]:50051"])
    }

    @Test("https:// upstreams make an auto cluster verified against the system store, port 443 by default")
    func httpsUpstreams() throws {
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["https://api.example.com", "https://10.0.0.5:8443"]
        )
        let cluster = config.clusters[0]
        #expect(cluster.protocol == .auto)
        #expect(cluster.tls == UpstreamTLSConfiguration())
        #expect(cluster.endpoints.map(\.description) == ["api.example.com:443", "10.0.0.5:8443"])
        #expect(cluster.tls?.serverName(for: cluster.endpoints[0]) == "api.example.com")
        #expect(cluster.tls?.serverName(for: cluster.endpoints[1]) == nil)
    }

    @Test("--to-ca sets the CA file of https upstreams")
    func upstreamCA() throws {
        let files = try TemporaryDirectory()
        let ca = try files.write("ca.pem")
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["https://api.internal"],
            upstreamCA: ca
        )
        #expect(config.clusters[0].tls == UpstreamTLSConfiguration(caFile: ca))
    }

    @Test("--tls-cert and --tls-key make the listener TLS with every default")
    func tlsListener() throws {
        let files = try TemporaryDirectory()
        let certificate = try files.write("edge.pem")
        let key = try files.write("edge.key")
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8443",
            upstreams: ["127.0.0.1:9000"],
            tlsCertificate: certificate,
            tlsKey: key
        )
        #expect(
            config.listeners[0].tls
                == ListenerTLSConfiguration(
                    certificate: CertificateFiles(certificateChain: certificate, privateKey: key),
                    alpn: [.h2, .http11],
                    minVersion: .tls12,
                    sessionTickets: true,
                    sni: []
                )
        )
        #expect(config.listeners[0].http2)
    }

    @Test("TLS and scheme errors name the flag")
    func tlsFlagErrors() throws {
        let files = try TemporaryDirectory()
        let certificate = try files.write("edge.pem")
        let key = try files.write("edge.key")
        #expect(
            errors(to: ["http://a:1", "h2c://b:2"]) == [
                "--to[1]: every upstream of quick mode must use the same scheme (got h2c after http)"
            ]
        )
        #expect(
            errors(to: ["https://a", "b:2", "https://c"]) == [
                "--to[1]: every upstream of quick mode must use the same scheme (got http after https)"
            ]
        )
        #expect(errors(tlsCertificate: certificate) == ["--tls-key: required with --tls-cert"])
        #expect(errors(tlsKey: key) == ["--tls-cert: required with --tls-key"])
        #expect(
            errors(tlsCertificate: files.path + "/missing.pem", tlsKey: key) == [
                "--tls-cert: cannot read \"\(files.path)/missing.pem\": No such file or directory"
            ]
        )
        #expect(
            errors(tlsCertificate: certificate, tlsKey: files.path) == [
                "--tls-key: cannot read \"\(files.path)\": Is a directory"
            ]
        )
        #expect(
            errors(to: ["http://a:1"], upstreamCA: certificate) == [
                "--to-ca: only applies to https upstreams (got http)"
            ]
        )
        #expect(
            errors(to: ["h2c://a:1"], upstreamCA: certificate) == ["--to-ca: only applies to https upstreams (got h2c)"]
        )
        #expect(
            errors(to: ["https://a"], upstreamCA: "no-such-ca.pem") == [
                "--to-ca: cannot read \"no-such-ca.pem\": No such file or directory"
            ]
        )
    }

    @Test("the source hash covers scheme and TLS flags, and is unchanged for the flags of old versions")
    func canonicalHash() throws {
        let files = try TemporaryDirectory()
        let certificate = try files.write("edge.pem")
        let key = try files.write("edge.key")
        let ca = try files.write("ca.pem")
        func hash(_ upstreams: [String], cert: String? = nil, key: String? = nil, ca: String? = nil) throws -> String {
            try TracegateConfiguration.quick(
                listen: "127.0.0.1:8080",
                upstreams: upstreams,
                tlsCertificate: cert,
                tlsKey: key,
                upstreamCA: ca
            ).sourceHash
        }
        let plain = try hash(["127.0.0.1:9000"])
        #expect(
            plain
                == fnv1a64Hex(
                    "quick listen=127.0.0.1:8080 to=127.0.0.1:9000 admin=127.0.0.1:9901 workers=0 trust=127.0.0.0/8,::1/128"
                )
        )
        #expect(try hash(["http://127.0.0.1:9000"]) == plain)
        let hashes = [
            plain,
            try hash(["h2c://127.0.0.1:9000"]),
            try hash(["https://127.0.0.1:9000"]),
            try hash(["https://127.0.0.1:9000"], ca: ca),
            try hash(["127.0.0.1:9000"], cert: certificate, key: key),
        ]
        #expect(Set(hashes).count == hashes.count)
    }

    @Test("without the resilience flags the route keeps no retry block and mirrors nothing")
    func noResilienceFlags() throws {
        let config = try TracegateConfiguration.quick(listen: "127.0.0.1:8080", upstreams: ["127.0.0.1:9000"])
        #expect(config.routes[0].retry == nil)
        #expect(config.routes[0].mirror == nil)
        #expect(config.clusters.map(\.name) == ["quick"])
        #expect(config.clusters[0].retryBudget == RetryBudget.Configuration.default)
    }

    @Test("--mirror adds an http1 cluster named mirror and mirrors every trace to it")
    func mirror() throws {
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["127.0.0.1:9000"],
            mirror: "http://staging.internal:8080"
        )
        #expect(config.clusters.map(\.name) == ["quick", "mirror"])
        let cluster = config.clusters[1]
        #expect(cluster.protocol == .http1)
        #expect(cluster.tls == nil)
        #expect(cluster.endpoints.map(\.description) == ["staging.internal:8080"])
        #expect(
            config.routes[0].mirror == MirrorConfiguration(cluster: "mirror", selector: try MirrorSelector(fraction: 1))
        )
        let bare = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["127.0.0.1:9000"],
            mirror: "127.0.0.1:9100",
            mirrorFraction: 0.25
        )
        #expect(bare.clusters[1].endpoints.map(\.description) == ["127.0.0.1:9100"])
        #expect(bare.routes[0].mirror?.selector == (try MirrorSelector(fraction: 0.25)))
    }

    @Test("an https mirror is HTTP/1.1 over TLS, verified with --to-ca, which an http --to then accepts")
    func httpsMirror() throws {
        let files = try TemporaryDirectory()
        let ca = try files.write("ca.pem")
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["http://127.0.0.1:9000"],
            upstreamCA: ca,
            mirror: "https://staging.example.com"
        )
        #expect(config.clusters[0].tls == nil)
        let mirror = config.clusters[1]
        #expect(mirror.protocol == .http1)
        #expect(mirror.tls == UpstreamTLSConfiguration(caFile: ca))
        #expect(mirror.endpoints.map(\.description) == ["staging.example.com:443"])
        let https = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["https://api.example.com"],
            upstreamCA: ca,
            mirror: "https://staging.example.com"
        )
        #expect(https.clusters[0].tls == UpstreamTLSConfiguration(caFile: ca))
        #expect(https.clusters[1].tls == UpstreamTLSConfiguration(caFile: ca))
        #expect(https.clusters[1].protocol == .http1)
    }

    @Test("--retries N gives the route N + 1 attempts on the default conditions")
    func retries() throws {
        let three = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["127.0.0.1:9000"],
            retries: 3
        )
        #expect(three.routes[0].retry == (try RetryPolicy(maxAttempts: 4)))
        #expect(three.routes[0].retry?.retryOn == RetryOn.default)
        let none = try TracegateConfiguration.quick(listen: "127.0.0.1:8080", upstreams: ["127.0.0.1:9000"], retries: 0)
        #expect(none.routes[0].retry?.maxAttempts == 1)
        let most = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["127.0.0.1:9000"],
            retries: 99
        )
        #expect(most.routes[0].retry?.maxAttempts == 100)
    }

    @Test("--retry-budget sets the upstream cluster's retry ratio only")
    func retryBudget() throws {
        let config = try TracegateConfiguration.quick(
            listen: "127.0.0.1:8080",
            upstreams: ["127.0.0.1:9000"],
            mirror: "127.0.0.1:9100",
            retryBudget: 0.5
        )
        #expect(config.clusters[0].retryBudget == (try RetryBudget.Configuration(retryRatio: 0.5)))
        #expect(config.clusters[1].retryBudget == RetryBudget.Configuration.default)
    }

    @Test("resilience flag errors name the flag")
    func resilienceFlagErrors() throws {
        let files = try TemporaryDirectory()
        let ca = try files.write("ca.pem")
        #expect(errors(mirrorFraction: 0.5) == ["--mirror-fraction: requires --mirror"])
        #expect(
            errors(mirror: "127.0.0.1:9100", mirrorFraction: 1.5) == [
                "--mirror-fraction: must be in 0.0...1.0, got 1.5"
            ]
        )
        #expect(
            errors(mirror: "127.0.0.1:9100", mirrorFraction: -0.1) == [
                "--mirror-fraction: must be in 0.0...1.0, got -0.1"
            ]
        )
        #expect(
            errors(mirror: "127.0.0.1:9100", mirrorFraction: .nan) == [
                "--mirror-fraction: must be a finite number, got nan"
            ]
        )
        #expect(
            errors(mirror: "h2c://127.0.0.1:9100") == [
                "--mirror: use http:// or https:// (a mirror cluster speaks HTTP/1.1; got h2c)"
            ]
        )
        #expect(errors(mirror: "ftp://files:21") == ["--mirror: unsupported scheme \"ftp\" (use http, h2c or https)"])
        #expect(errors(mirror: "staging") == ["--mirror: invalid address \"staging\": expected host:port"])
        #expect(
            errors(to: ["127.0.0.1:9000", "127.0.0.1:9001"], mirror: "http://127.0.0.1:9001") == [
                "--mirror: 127.0.0.1:9001 is also an upstream (--to[1]); mirror to a different service"
            ]
        )
        #expect(
            errors(upstreamCA: ca, mirror: "http://127.0.0.1:9100") == [
                "--to-ca: only applies to https upstreams (got http)"
            ]
        )
        #expect(errors(retries: 100) == ["--retries: must be between 0 and 99 (got 100)"])
        #expect(errors(retries: -1) == ["--retries: must be between 0 and 99 (got -1)"])
        #expect(errors(retryBudget: -0.5) == ["--retry-budget: must be in 0.0...1000.0, got -0.5"])
        #expect(errors(retryBudget: 5_000) == ["--retry-budget: must be in 0.0...1000.0, got 5000.0"])
        #expect(
            errors(mirrorFraction: 2, retries: 100, retryBudget: -1) == [
                "--mirror-fraction: requires --mirror",
                "--retries: must be between 0 and 99 (got 100)",
                "--retry-budget: must be in 0.0...1000.0, got -1.0",
            ]
        )
    }

    @Test("the resilience flags change the source hash; leaving them out keeps the old one")
    func resilienceHash() throws {
        func hash(
            mirror: String? = nil,
            fraction: Double? = nil,
            retries: Int? = nil,
            budget: Double? = nil
        ) throws -> String {
            try TracegateConfiguration.quick(
                listen: "127.0.0.1:8080",
                upstreams: ["127.0.0.1:9000"],
                mirror: mirror,
                mirrorFraction: fraction,
                retries: retries,
                retryBudget: budget
            ).sourceHash
        }
        let plain = try hash()
        #expect(
            plain
                == fnv1a64Hex(
                    "quick listen=127.0.0.1:8080 to=127.0.0.1:9000 admin=127.0.0.1:9901 workers=0 trust=127.0.0.0/8,::1/128"
                )
        )
        let hashes = [
            plain,
            try hash(mirror: "127.0.0.1:9100"),
            try hash(mirror: "127.0.0.1:9101"),
            try hash(mirror: "https://127.0.0.1:9100"),
            try hash(mirror: "127.0.0.1:9100", fraction: 0.5),
            try hash(retries: 1),
            try hash(retries: 2),
            try hash(budget: 0.1),
        ]
        #expect(Set(hashes).count == hashes.count)
    }
}
