import Crypto
import Foundation
import Testing
import TracegateTLS
import TracegateTestSupport

/// Real clients against `TLSServerContext`: curl (libcurl on the system OpenSSL) and
/// `openssl s_client`. The tools are required: a missing one fails the test.
@Suite struct InteropTests {
    let fixtures: TLSFixtures

    init() throws {
        fixtures = try TLSFixtures()
    }

    @Test func curlFetchesOverHTTP11WithVerification() throws {
        let server = try BlockingTLSServer(context: try fixtures.serverContext())
        defer { server.stop() }
        let result = try ExternalTool.run(
            "curl",
            ["-sS", "--http1.1", "--cacert", fixtures.ca.certificateFile, "https://localhost:\(server.port)/path"],
            timeout: .seconds(30)
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "hello")
        let record = try #require(server.waitForRecords(1).first)
        #expect(record.handshakeError == nil)
        #expect(record.negotiatedProtocol == .http11)
        #expect(record.serverName == "localhost")
        #expect(record.request.hasPrefix("GET /path HTTP/1.1\r\n"))
    }

    @Test func curlByIPAddressVerifiesTheIPSubjectAltName() throws {
        let server = try BlockingTLSServer(context: try fixtures.serverContext(alpn: [.http11]))
        defer { server.stop() }
        let result = try ExternalTool.run(
            "curl",
            ["-sS", "--cacert", fixtures.ca.certificateFile, "https://127.0.0.1:\(server.port)/"],
            timeout: .seconds(30)
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "hello")
        #expect(server.waitForRecords(1).first?.negotiatedProtocol == .http11)
    }

    @Test func curlRejectsAServerItDoesNotTrust() throws {
        let other = try TestCertificateAuthority()
        let server = try BlockingTLSServer(context: try fixtures.serverContext())
        defer { server.stop() }
        let result = try ExternalTool.run(
            "curl",
            ["-sS", "--http1.1", "--cacert", other.certificateFile, "https://localhost:\(server.port)/"],
            timeout: .seconds(30)
        )
        #expect(result.status == 60, "\(result.stderr)")  // CURLE_PEER_FAILED_VERIFICATION
        let record = try #require(server.waitForRecords(1).first)
        #expect(record.handshakeError != nil)
    }

    /// Runs `openssl s_client` with `arguments` against the server, stdin at EOF so it leaves
    /// right after the handshake.
    private func sClient(_ server: BlockingTLSServer, _ arguments: [String]) throws -> ToolResult {
        try ExternalTool.run(
            "openssl",
            ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", fixtures.ca.certificateFile] + arguments,
            stdin: Data(),
            timeout: .seconds(30)
        )
    }

    @Test func sClientNegotiatesH2() throws {
        let server = try BlockingTLSServer(context: try fixtures.serverContext())
        defer { server.stop() }
        let result = try sClient(
            server,
            [
                "-servername", "localhost", "-verify_hostname", "localhost", "-verify_return_error", "-alpn",
                "h2,http/1.1",
            ]
        )
        #expect(result.stdoutText.contains("ALPN protocol: h2"), "\(result.stdoutText)\(result.stderr)")
        #expect(result.stdoutText.contains("Verify return code: 0 (ok)"))
        let record = try #require(server.waitForRecords(1).first)
        #expect(record.negotiatedProtocol == .h2)
        #expect(record.protocolVersion == .tls13)
    }

    @Test func sClientOfferingOnlyAnUnknownProtocolGetsNoApplicationProtocol() throws {
        let server = try BlockingTLSServer(context: try fixtures.serverContext())
        defer { server.stop() }
        let result = try sClient(server, ["-alpn", "spdy/3"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no application protocol"), "\(result.stderr)")
        let record = try #require(server.waitForRecords(1).first)
        #expect(
            record.handshakeError?.contains("no application protocol") == true,
            "\(String(describing: record.handshakeError))"
        )
    }

    @Test func tls11ClientIsRefused() throws {
        let server = try BlockingTLSServer(context: try fixtures.serverContext())
        defer { server.stop() }
        // SECLEVEL=0 lets this OpenSSL 3 client offer TLS 1.1 at all, so the refusal below is
        // the server's.
        let refused = try sClient(server, ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("alert protocol version"), "\(refused.stderr)")
        let record = try #require(server.waitForRecords(1).first)
        #expect(
            record.handshakeError?.contains("unsupported protocol") == true,
            "\(String(describing: record.handshakeError))"
        )

        // The same client with TLS 1.2 gets in.
        let accepted = try sClient(server, ["-tls1_2", "-cipher", "DEFAULT@SECLEVEL=0"])
        #expect(accepted.stdoutText.contains("Protocol  : TLSv1.2"), "\(accepted.stdoutText)\(accepted.stderr)")
        #expect(server.waitForRecords(2).last?.protocolVersion == .tls12)
    }

    @Test func sClientResumesWithASavedSession() throws {
        let server = try BlockingTLSServer(context: try fixtures.serverContext(maximumVersion: .tls12))
        defer { server.stop() }
        let files = try TempDir(prefix: "tls-session")
        let sessionFile = files.file("session.pem")
        let first = try sClient(server, ["-sess_out", sessionFile])
        #expect(first.stdoutText.contains("New, TLSv1.2"), "\(first.stdoutText)")
        let second = try sClient(server, ["-sess_in", sessionFile])
        #expect(second.stdoutText.contains("Reused, TLSv1.2"), "\(second.stdoutText)")
        let records = server.waitForRecords(2)
        #expect(records.map(\.sessionReused) == [false, true])
    }

    @Test func swiftCryptoAndSystemOpenSSLWorkInOneProcess() throws {
        // swift-crypto's BoringSSL has prefixed symbols; an unprefixed clash would route one
        // library's calls into the other and break either the digest or the handshake.
        #expect(
            SHA256.hash(data: Data("abc".utf8)).map { String(format: "%02x", $0) }.joined()
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        let server = try BlockingTLSServer(context: try fixtures.serverContext())
        defer { server.stop() }
        let result = try ExternalTool.run(
            "curl",
            ["-sS", "--http1.1", "--cacert", fixtures.ca.certificateFile, "https://localhost:\(server.port)/"],
            timeout: .seconds(30)
        )
        #expect(result.stdoutText == "hello", "\(result.stderr)")
        let key = SymmetricKey(size: .bits256)
        let sealed = try AES.GCM.seal(Data(result.stdout), using: key)
        #expect(try AES.GCM.open(sealed, using: key) == Data("hello".utf8))
    }
}
