// TLSTests: Tracegate's TLS listener with real clients (curl, openssl s_client, a Python h2
// client): ALPN picks h2 or HTTP/1.1, X-Forwarded-Proto says https, old protocol versions are
// refused, handshakes are counted, and SIGHUP picks up a renewed certificate without dropping
// established connections.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.timeLimit(.minutes(3))) struct TLS {
        /// A CA, a server certificate for 127.0.0.1/localhost, the HTTP/1.1 echo fixture and a
        /// proxy with a TLS listener `secure` (and the cleartext `public`). Always `defer { stop() }`.
        final class Setup {
            let authority: TestCertificateAuthority
            let harness: Harness
            /// Where the listener's certificate and key live (replaced by the reload test).
            let files: TempDir
            let chainPath: String
            let keyPath: String

            init(commonName: String = "tracegate-test-server", tlsExtra: String = "") throws {
                authority = try TestCertificateAuthority()
                let certificate = try authority.issueServerCertificate(name: "initial", commonName: commonName)
                files = try TempDir(prefix: "tls-live")
                chainPath = try files.write("chain.pem", try Data(contentsOf: URL(fileURLWithPath: certificate.certificateFile)))
                keyPath = try files.write("key.pem", try Data(contentsOf: URL(fileURLWithPath: certificate.privateKeyFile)))
                let chain = chainPath, key = keyPath
                harness = try Harness.start(config: { H2Configs.tls(backend: $0, chain: chain, key: key, tlsExtra: tlsExtra) })
            }

            var proxy: ProxyProcess { harness.proxy }
            var port: Int { (try? harness.proxy.port("secure")) ?? 0 }
            func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

            /// Replaces the listener's certificate files (atomically) with `certificate`'s.
            func replaceCertificate(with certificate: IssuedCertificate) throws {
                try files.write("chain.pem", try Data(contentsOf: URL(fileURLWithPath: certificate.certificateFile)))
                try files.write("key.pem", try Data(contentsOf: URL(fileURLWithPath: certificate.privateKeyFile)))
            }

            func stop() { harness.stop() }
        }

        static let handshakes = "tracegate_tls_handshakes_total"

        @Test func alpnSelectsH2OrHTTP11AndForwardedProtoIsHTTPS() throws {
            let s = try Setup()
            defer { s.stop() }
            let before = try H2Checks.counter(s.proxy, Self.handshakes, "outcome=\"succeeded\"")

            let h2 = try H2Client.curl(url: s.url("/tls/h2"), caCertificate: s.authority.certificateFile)
            H2Checks.expectHTTP2(h2)
            #expect(h2.status == 200)
            #expect(h2.header("x-correlation-id") != nil)
            let overH2 = try #require(s.harness.lastRequest)
            #expect(overH2.target == "/tls/h2")
            #expect(overH2.header("X-Forwarded-Proto") == "https")
            #expect(overH2.header("X-Forwarded-For") == "127.0.0.1")
            #expect(Wire.traceparent(overH2.header("traceparent")) != nil)

            let h1 = try Curl.request(url: s.url("/tls/h1"), extraArguments: ["--cacert", s.authority.certificateFile, "-w", "%{http_version}"],
                                      httpVersion: .http1_1)
            #expect(h1.exitCode == 0, "\(h1.stderr)")
            #expect(h1.status == 200)
            #expect(h1.writeOut == "1.1", "curl --http1.1 offers only http/1.1 by ALPN")
            #expect(h1.version == "HTTP/1.1")
            #expect(s.harness.lastRequest?.target == "/tls/h1")
            #expect(s.harness.lastRequest?.header("X-Forwarded-Proto") == "https")

            // No ALPN at all (RFC 7301 §3.2: the server goes on without it): HTTP/1.1.
            let bare = try Curl.request(url: s.url("/tls/no-alpn"), extraArguments: ["--cacert", s.authority.certificateFile, "--no-alpn", "-w", "%{http_version}"],
                                        httpVersion: .http1_1)
            #expect(bare.status == 200, "\(bare.stderr)")
            #expect(bare.writeOut == "1.1")

            // The cleartext listener still says http.
            #expect(try Curl.request(url: s.harness.url("/plain"), httpVersion: .http1_1).status == 200)
            #expect(s.harness.lastRequest?.header("X-Forwarded-Proto") == "http")

            let after = try H2Checks.counter(s.proxy, Self.handshakes, "outcome=\"succeeded\"", above: before + 2)
            #expect(after == before + 3, "\(Self.handshakes){outcome=\"succeeded\"}: \(before) → \(after) after three TLS connections")
            let metrics = try Admin.metrics(s.proxy)
            #expect(metrics.value("tracegate_http2_connections_total") == 1, "only the ALPN h2 connection spoke HTTP/2")
        }

        /// `openssl s_client` limited to one protocol version. `-cipher DEFAULT@SECLEVEL=0` keeps
        /// the client's own policy from refusing TLS 1.1 before it is offered.
        static func sClient(port: Int, version: String, caFile: String) throws -> ToolResult {
            try ExternalTool.run("openssl", [
                "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost", "-CAfile", caFile,
                version, "-cipher", "DEFAULT@SECLEVEL=0",
            ], stdin: Data(), timeout: .seconds(20))
        }

        @Test func tls11ClientsAreRefusedAndCountedAsFailedHandshakes() throws {
            let s = try Setup()
            defer { s.stop() }
            let failedBefore = try H2Checks.counter(s.proxy, Self.handshakes, "outcome=\"failed\"")

            let old = try Self.sClient(port: s.port, version: "-tls1_1", caFile: s.authority.certificateFile)
            let oldText = old.stdoutText + old.stderr
            #expect(old.status != 0, "a TLS 1.1 handshake succeeded:\n\(oldText)")
            #expect(oldText.contains("alert protocol version"), "the server should answer TLS 1.1 with a protocol_version alert (RFC 8996):\n\(oldText)")
            #expect(oldText.contains("no peer certificate available"), "the server presented its certificate to a TLS 1.1 client:\n\(oldText)")

            // The same command with TLS 1.2 works, so the refusal above is the version's.
            let current = try Self.sClient(port: s.port, version: "-tls1_2", caFile: s.authority.certificateFile)
            let currentText = current.stdoutText + current.stderr
            #expect(current.status == 0, "\(currentText)")
            #expect(currentText.contains("Protocol  : TLSv1.2") || currentText.contains("Protocol: TLSv1.2"), "\(currentText)")
            #expect(currentText.contains("Verify return code: 0 (ok)"), "\(currentText)")

            let failedAfter = try H2Checks.counter(s.proxy, Self.handshakes, "outcome=\"failed\"", above: failedBefore)
            #expect(failedAfter > failedBefore, "\(Self.handshakes){outcome=\"failed\"} did not rise")
            #expect(!s.proxy.hasExited)
            #expect(try Curl.request(url: s.url("/still-up"), extraArguments: ["--cacert", s.authority.certificateFile]).status == 200)
        }

        @Test func minVersion13RefusesTLS12() throws {
            let s = try Setup(tlsExtra: ", min_version: \"1.3\"")
            defer { s.stop() }
            let refused = try Self.sClient(port: s.port, version: "-tls1_2", caFile: s.authority.certificateFile)
            #expect(refused.status != 0, "a TLS 1.2 handshake succeeded with min_version 1.3:\n\(refused.stdoutText)")
            let accepted = try Self.sClient(port: s.port, version: "-tls1_3", caFile: s.authority.certificateFile)
            #expect(accepted.status == 0, "\(accepted.stdoutText)\(accepted.stderr)")
            #expect(accepted.stdoutText.contains("TLSv1.3"), "\(accepted.stdoutText)")
        }

        @Test func sighupServesARenewedCertificateAndKeepsEstablishedConnections() throws {
            let s = try Setup(commonName: "tracegate-before-reload")
            defer { s.stop() }
            let renewed = try s.authority.issueServerCertificate(name: "renewed", commonName: "tracegate-after-reload")

            let held = try HeldH2Client(target: "127.0.0.1:\(s.port)", caFile: s.authority.certificateFile)
            defer { held.stop() }
            #expect(held.connected["alpn"] as? String == "h2")
            #expect(held.connected["subject_cn"] as? String == "tracegate-before-reload")
            let before = try #require(held.get("/held/before"), "no answer: \(held.stderrText)")
            #expect(before["status"] as? Int == 200, "\(before)")

            try s.replaceCertificate(with: renewed)
            let verdict = try s.proxy.reload()
            #expect(verdict?.contains("\"reloaded\"") == true, "reload verdict: \(verdict ?? "none")")

            // A new connection gets the new certificate (curl -v prints the server's subject).
            let fresh = try H2Client.curl(url: s.url("/fresh"), caCertificate: s.authority.certificateFile, extraArguments: ["-v"])
            H2Checks.expectHTTP2(fresh)
            #expect(fresh.status == 200)
            #expect(fresh.stderr.contains("subject: CN=tracegate-after-reload"), "curl saw: \(fresh.stderr.split(separator: "\n").filter { $0.contains("subject") })")
            let another = try HeldH2Client(target: "127.0.0.1:\(s.port)", caFile: s.authority.certificateFile)
            #expect(another.connected["subject_cn"] as? String == "tracegate-after-reload")
            another.stop()

            // The connection opened before the reload still serves new streams.
            let afterReload = try #require(held.get("/held/after"), "no answer: \(held.stderrText)")
            #expect(afterReload["event"] as? String == "response", "\(afterReload)")
            #expect(afterReload["status"] as? Int == 200)
            #expect((afterReload["stream_id"] as? Int ?? 0) > (before["stream_id"] as? Int ?? 0), "same connection, next stream")
            let targets = s.harness.upstream.requests.map(\.target)
            #expect(targets.contains("/held/before") && targets.contains("/held/after") && targets.contains("/fresh"), "\(targets)")
            #expect(!s.proxy.hasExited)
        }

        @Test func aBrokenCertificateOnReloadKeepsTheOldOne() throws {
            let s = try Setup(commonName: "tracegate-kept")
            defer { s.stop() }
            try s.files.write("chain.pem", "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
            let verdict = try s.proxy.reload()
            #expect(verdict?.contains("\"reload_failed\"") == true, "reload verdict: \(verdict ?? "none")")
            #expect(verdict?.contains("listeners[1].tls") == true, "the failure should name the key path: \(verdict ?? "")")
            let result = try H2Client.curl(url: s.url("/kept"), caCertificate: s.authority.certificateFile, extraArguments: ["-v"])
            #expect(result.status == 200, "\(result.stderr)")
            #expect(result.stderr.contains("subject: CN=tracegate-kept"))
        }
    }
}
