// TLSUpstreamTests: HTTP/2 over TLS to upstreams — `protocol: h2`, `auto` by ALPN, and verification.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.timeLimit(.minutes(3)))
    struct TLSUpstream {
        /// A TLS HTTP/2 upstream (ALPN h2, self-signed for 127.0.0.1) and a proxy whose cluster
        /// speaks `clusterProtocol` to it with `tls` keys.
        static func start(clusterProtocol: String, tls: String, extra: String = "") throws -> (H2Upstream, ProxyProcess, TestCertificate) {
            let certificate = try TestCertificate.selfSigned()
            let upstream = try H2Upstream.start(tls: certificate)
            do {
                let yaml = """
                workers: 1
                admin: { address: "127.0.0.1:0" }
                listeners:
                  - { name: public, address: "127.0.0.1:0" }
                routes:
                  - { name: default, match: { path_prefix: "/" }, cluster: backend }
                clusters:
                  - name: backend
                    protocol: \(clusterProtocol)
                    endpoints: ["\(upstream.address)"]
                    tls: \(tls.replacingOccurrences(of: "CA", with: certificate.certificatePath))
                \(extra)
                """
                return (upstream, try ProxyProcess.start(config: yaml), certificate)
            } catch {
                upstream.stop()
                throw error
            }
        }

        @Test(arguments: ["h2", "auto"])
        func requestsReachAnHTTP2UpstreamOverTLS(clusterProtocol: String) throws {
            let (upstream, proxy, _) = try Self.start(clusterProtocol: clusterProtocol, tls: "{ ca_file: \"CA\" }")
            defer { proxy.stop(); upstream.stop() }
            let port = try proxy.port("public")
            let overH1 = try Curl.request(url: "http://127.0.0.1:\(port)/over/h1", httpVersion: .http1_1)
            #expect(overH1.status == 200, "\(overH1.bodyText)")
            let overH2 = try H2Client.curl(url: "http://127.0.0.1:\(port)/bytes/1048576")
            H2Checks.expectHTTP2(overH2)
            #expect(overH2.status == 200)
            H2Checks.expectPattern(overH2.body, count: 1_048_576, what: "1 MiB through an \(clusterProtocol) upstream")
            let requests = try upstream.waitForRequests(count: 2)
            for request in requests {
                #expect(request.tls, "the upstream saw a cleartext request")
                #expect(request.alpn == "h2", "ALPN \(request.alpn ?? "none")")
                #expect(Wire.traceparent(request.header("traceparent")) != nil)
            }
            // Both exchanges went over one multiplexed TLS connection.
            #expect(Set(requests.map(\.connection)).count == 1, "connections: \(requests.map(\.connection))")
        }

        @Test func anUpstreamWhoseCertificateDoesNotVerifyIsA502() throws {
            let other = try TestCertificate.selfSigned(commonName: "127.0.0.1")
            let (upstream, proxy, _) = try Self.start(clusterProtocol: "h2", tls: "{ ca_file: \"\(other.certificatePath)\" }")
            defer { proxy.stop(); upstream.stop() }
            let response = try Curl.request(url: "http://127.0.0.1:\(try proxy.port("public"))/unverified", httpVersion: .http1_1)
            #expect(response.status == 502, "\(response.bodyText)")
            #expect(response.json?["error"] as? String == "upstream_connect_failed", "\(response.bodyText)")
            #expect(try upstream.requests().isEmpty, "a request reached an upstream that failed verification")
        }

        @Test func theClientSpanNamesTheTLSAndHTTP2Hop() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let (upstream, proxy, _) = try Self.start(clusterProtocol: "h2", tls: "{ ca_file: \"CA\" }",
                                                      extra: Integration.SpanExport.telemetry(receiver.endpoint))
            defer { proxy.stop(); upstream.stop() }
            let response = try Curl.request(url: "http://127.0.0.1:\(try proxy.port("public"))/spans/tls", httpVersion: .http1_1)
            #expect(response.status == 200)
            let spans = try receiver.waitForSpans(count: 2)
            let client = try #require(spans.first { $0.kind == "SPAN_KIND_CLIENT" })
            #expect(client.attributes["url.full"] == .string("https://\(upstream.address)/spans/tls"))
            #expect(client.attributes["network.protocol.version"] == .string("2"))
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" })
            #expect(server.attributes["network.protocol.version"] == .string("1.1"))
        }
    }
}
