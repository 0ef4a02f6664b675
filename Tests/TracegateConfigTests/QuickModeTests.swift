// QuickModeTests.swift — `tracegate proxy --listen ... --to ...`.

import Testing
import TracegateConfig

@Suite("Quick mode")
struct QuickModeTests {
    func errors(
        listen: String = "127.0.0.1:8080",
        to: [String] = ["127.0.0.1:9000"],
        admin: String? = nil,
        workers: Int? = nil,
        trust: [String]? = nil
    ) -> [String] {
        do {
            _ = try TracegateConfiguration.quick(
                listen: listen,
                upstreams: to,
                admin: admin,
                workers: workers,
                trust: trust
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
        #expect(errors(to: ["http://127.0.0.1:9000", "ftp://files:21"]) == ["--to[1]: unsupported scheme \"ftp\""])
        #expect(errors(to: ["https://a:443"]) == ["--to[0]: unsupported scheme \"https\""])
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
                "--to[0]: unsupported scheme \"gopher\"",
                "--workers: must be between 0 and 256 (got -1)",
            ]
        )
    }
}
