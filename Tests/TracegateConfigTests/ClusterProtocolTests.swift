// ClusterProtocolTests.swift — `clusters[].protocol`, `clusters[].tls` and `clusters[].http2`.

import Foundation
import Testing
import TracegateConfig

@Suite("Cluster protocol, TLS and HTTP/2")
struct ClusterProtocolTests {
    let files: TemporaryDirectory

    init() throws {
        files = try TemporaryDirectory()
        for name in ["ca.pem", "client.pem", "client.key"] { try files.write(name) }
    }

    /// `baseYAML` with `cluster` spliced into its cluster's mapping.
    func yaml(_ cluster: String) -> String {
        baseYAML.replacingOccurrences(
            of: "clusters: [{name: c, endpoints: [\"127.0.0.1:9000\"]}]",
            with: "clusters: [{name: c, endpoints: [\"127.0.0.1:9000\"], \(cluster)}]"
        )
    }

    func loadCluster(_ snippet: String, sourceLocation: SourceLocation = #_sourceLocation) -> ClusterConfiguration? {
        loadValid(yaml(snippet), baseDirectory: files.path, sourceLocation: sourceLocation)?.clusters.first
    }

    @Test("a cluster defaults to cleartext HTTP/1.1")
    func defaults() throws {
        let cluster = try #require(loadValid(baseYAML)?.clusters.first)
        #expect(cluster.protocol == .http1)
        #expect(cluster.tls == nil)
        #expect(cluster.http2 == UpstreamHTTP2Configuration(maxConcurrentStreamsPerConnection: 100))
        #expect(cluster == ClusterConfiguration(name: "c", endpoints: cluster.endpoints))
    }

    @Test(
        "h2 and auto imply TLS with its defaults; h2c and http1 stay cleartext",
        arguments: [
            ("h2", UpstreamProtocol.h2, true), ("auto", .auto, true), ("h2c", .h2c, false), ("http1", .http1, false),
        ]
    )
    func impliedTLS(name: String, expected: UpstreamProtocol, tls: Bool) throws {
        let cluster = try #require(loadCluster("protocol: \(name)"))
        #expect(cluster.protocol == expected)
        #expect(cluster.tls == (tls ? UpstreamTLSConfiguration() : nil))
    }

    @Test("the default upstream TLS: system store, verified, no fixed server name, no client certificate")
    func tlsDefaults() throws {
        let tls = UpstreamTLSConfiguration()
        #expect(tls.caFile == nil)
        #expect(tls.verify)
        #expect(tls.serverName == nil)
        #expect(tls.clientCertificate == nil)
        let https = try #require(loadCluster("tls: {}"))
        #expect(https.protocol == .http1)
        #expect(https.tls == tls)
    }

    @Test("every cluster tls and http2 key is read")
    func everyKey() throws {
        let snippet = """
            protocol: auto, tls: {ca_file: ca.pem, verify: true, server_name: Payments.Internal., \
            client_certificate_chain: \(files.path)/client.pem, client_private_key: client.key}, \
            http2: {max_concurrent_streams_per_connection: 250}
            """
        let cluster = try #require(loadCluster(snippet))
        #expect(cluster.protocol == .auto)
        #expect(
            cluster.tls
                == UpstreamTLSConfiguration(
                    caFile: files.path + "/ca.pem",
                    verify: true,
                    serverName: "payments.internal",
                    clientCertificate: CertificateFiles(
                        certificateChain: files.path + "/client.pem",
                        privateKey: files.path + "/client.key"
                    )
                )
        )
        #expect(cluster.http2.maxConcurrentStreamsPerConnection == 250)
    }

    @Test("an explicit tls on h2 keeps the defaults for the keys it leaves out")
    func partialTLS() throws {
        let cluster = try #require(loadCluster("protocol: h2, tls: {verify: false}"))
        #expect(cluster.tls == UpstreamTLSConfiguration(verify: false))
        let nullCA = try #require(loadCluster("protocol: h2, tls: {ca_file: null, verify: false}"))
        #expect(nullCA.tls == UpstreamTLSConfiguration(caFile: nil, verify: false))
        let h2c = try #require(loadCluster("protocol: h2c, http2: {max_concurrent_streams_per_connection: 1}"))
        #expect(h2c.http2.maxConcurrentStreamsPerConnection == 1)
    }

    @Test("the server name per endpoint: the explicit one, else the host name, else none for IPs")
    func serverNamePerEndpoint() throws {
        let implied = UpstreamTLSConfiguration()
        #expect(implied.serverName(for: SocketAddressSpec(host: "api.internal", port: 443)) == "api.internal")
        #expect(implied.serverName(for: SocketAddressSpec(host: "api.internal.", port: 443)) == "api.internal")
        #expect(implied.serverName(for: SocketAddressSpec(host: "localhost", port: 443)) == "localhost")
        #expect(implied.serverName(for: SocketAddressSpec(host: "10.1.2.3", port: 443)) == nil)
        #expect(implied.serverName(for: SocketAddressSpec(host: "2001:db8::1", port: 443, isIPv6Literal: true)) == nil)
        let fixed = UpstreamTLSConfiguration(serverName: "payments.internal")
        #expect(fixed.serverName(for: SocketAddressSpec(host: "10.1.2.3", port: 443)) == "payments.internal")
        #expect(fixed.serverName(for: SocketAddressSpec(host: "other.internal", port: 443)) == "payments.internal")
    }

    @Test("each protocol's ALPN offer")
    func alpnOffers() {
        #expect(UpstreamProtocol.http1.alpn == [.http11])
        #expect(UpstreamProtocol.h2c.alpn == [])
        #expect(UpstreamProtocol.h2.alpn == [.h2])
        #expect(UpstreamProtocol.auto.alpn == [.h2, .http11])
        #expect(UpstreamProtocol.allCases.map(\.rawValue) == ["http1", "h2c", "h2", "auto"])
    }

    @Test(
        "cluster protocol and TLS errors",
        arguments: [
            (
                "protocol: h3",
                ["clusters[0].protocol: expected one of http1, h2c, h2, auto; got \"h3\" (did you mean \"h2\"?)"]
            ),
            ("protocl: h2", ["clusters[0].protocl: unknown key \"protocl\" (did you mean \"protocol\"?)"]),
            (
                "protocol: h2c, tls: {}",
                [
                    "clusters[0].tls: h2c is HTTP/2 over cleartext TCP; remove tls, or use protocol h2 (or auto) for HTTP/2 over TLS"
                ]
            ),
            (
                "http2: {max_concurrent_streams_per_connection: 10}",
                [
                    "clusters[0].http2: applies only to HTTP/2 upstreams (protocol h2c, h2 or auto); this cluster's protocol is http1"
                ]
            ),
            (
                "protocol: h2, http2: {max_concurrent_streams_per_connection: 0}",
                ["clusters[0].http2.max_concurrent_streams_per_connection: must be between 1 and 10000 (got 0)"]
            ),
            (
                "protocol: h2, http2: {max_concurrent_streams: 10}",
                ["clusters[0].http2.max_concurrent_streams: unknown key \"max_concurrent_streams\""]
            ),
            (
                "protocol: h2, tls: {verfy: false}",
                ["clusters[0].tls.verfy: unknown key \"verfy\" (did you mean \"verify\"?)"]
            ),
            ("protocol: h2, tls: {verify: no-thanks}", ["clusters[0].tls.verify: expected true or false"]),
            ("protocol: h2, tls: none", ["clusters[0].tls: expected a mapping"]),
            (
                "protocol: h2, tls: {ca_file: missing-ca.pem}",
                ["clusters[0].tls.ca_file: cannot read \"<dir>/missing-ca.pem\": No such file or directory"]
            ),
            (
                "protocol: h2, tls: {ca_file: ca.pem, verify: false}",
                ["clusters[0].tls.ca_file: has no effect with verify: false (remove it, or verify the server)"]
            ),
            (
                "tls: {client_certificate_chain: client.pem}",
                ["clusters[0].tls.client_private_key: required when client_certificate_chain is set"]
            ),
            (
                "tls: {client_private_key: client.key}",
                ["clusters[0].tls.client_certificate_chain: required when client_private_key is set"]
            ),
            (
                "tls: {client_certificate_chain: client.pem, client_private_key: gone.key}",
                ["clusters[0].tls.client_private_key: cannot read \"<dir>/gone.key\": No such file or directory"]
            ),
            (
                "protocol: auto, tls: {server_name: 10.0.0.7}",
                [
                    "clusters[0].tls.server_name: \"10.0.0.7\" is an IP address: SNI carries DNS names only (RFC 6066 §3); leave server_name out to verify IP endpoints against their address"
                ]
            ),
            (
                "protocol: auto, tls: {server_name: \"[2001:db8::1]\"}",
                [
                    "clusters[0].tls.server_name: \"[2001:db8::1]\" is an IP address: SNI carries DNS names only (RFC 6066 §3); leave server_name out to verify IP endpoints against their address"
                ]
            ),
            (
                "protocol: auto, tls: {server_name: \"api.internal:443\"}",
                ["clusters[0].tls.server_name: invalid server name \"api.internal:443\": expected a DNS name"]
            ),
            (
                "protocol: auto, tls: {server_name: \"bad name\"}",
                ["clusters[0].tls.server_name: invalid server name \"bad name\": expected a DNS name"]
            ),
        ]
    )
    func errors(snippet: String, expected: [String]) {
        #expect(
            loadErrors(yaml(snippet), baseDirectory: files.path)
                == expected.map { $0.replacingOccurrences(of: "<dir>", with: files.path) }
        )
    }
}
