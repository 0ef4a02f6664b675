// QuickModeTests+Resilience.swift — `--mirror`, `--mirror-fraction`, `--retries`, `--retry-budget`.

import Foundation
import Testing
import TracegateConfig
import TracegateResilience

extension QuickModeTests {
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
