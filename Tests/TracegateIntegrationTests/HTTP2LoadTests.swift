// HTTP2LoadTests: short h2load runs through Tracegate, many multiplexed streams over a few
// connections, over h2c and over TLS (ALPN h2): every request must succeed.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.timeLimit(.minutes(3))) struct HTTP2Load {
        static let requests = 2000

        /// Expects a clean run: every request done and 2xx, over `protocolName`.
        static func expectAllSucceeded(_ result: H2LoadResult, protocolName: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let summary = result.output.split(separator: "\n").suffix(12).joined(separator: "\n")
            #expect(result.applicationProtocol == protocolName, "\(summary)\n\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.total == requests, sourceLocation: sourceLocation)
            #expect(result.succeeded == requests, "\(summary)", sourceLocation: sourceLocation)
            #expect(result.failed == 0 && result.errored == 0 && result.timedOut == 0, "\(summary)", sourceLocation: sourceLocation)
            #expect(result.statusClasses["2xx"] == requests, "\(summary)", sourceLocation: sourceLocation)
        }

        @Test func h2loadOverH2cAllSucceed() throws {
            let h = try Harness.start({ _ in .text("load") }) { H2Configs.single(backend: $0) }
            defer { h.stop() }
            let result = try H2Client.h2load(url: h.url("/load"), requests: Self.requests, clients: 4, streams: 10)
            Self.expectAllSucceeded(result, protocolName: "h2c")
            #expect(h.upstream.requests.count == Self.requests)
            let metrics = try Admin.metrics(h.proxy) { ($0.value("tracegate_http2_streams_total") ?? 0) >= Double(Self.requests) }
            #expect(metrics.value("tracegate_http2_streams_total") == Double(Self.requests))
            #expect(metrics.value("tracegate_http2_connections_total") == 4)
            #expect(metrics.value("tracegate_http2_streams_refused_total") == 0)
        }

        @Test func h2loadOverTLSAllSucceed() throws {
            let authority = try TestCertificateAuthority()
            let certificate = try authority.issueServerCertificate()
            let h = try Harness.start({ _ in .text("load") }) {
                H2Configs.tls(backend: $0, chain: certificate.certificateFile, key: certificate.privateKeyFile)
            }
            defer { h.stop() }
            let port = try h.proxy.port("secure")
            let result = try H2Client.h2load(url: "https://127.0.0.1:\(port)/load", requests: Self.requests, clients: 4, streams: 10)
            Self.expectAllSucceeded(result, protocolName: "h2")
            #expect(h.upstream.requests.count == Self.requests)
            #expect(h.upstream.requests.allSatisfy { $0.header("X-Forwarded-Proto") == "https" })
            let metrics = try Admin.metrics(h.proxy) { ($0.value("tracegate_tls_handshakes_total", "outcome=\"succeeded\"") ?? 0) >= 4 }
            #expect(metrics.value("tracegate_tls_handshakes_total", "outcome=\"succeeded\"") == 4)
            #expect(metrics.value("tracegate_http2_streams_total") == Double(Self.requests))
        }
    }
}
