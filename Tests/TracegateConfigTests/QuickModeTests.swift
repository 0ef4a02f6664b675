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
}
