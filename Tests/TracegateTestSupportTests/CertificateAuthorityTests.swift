import Foundation
import Testing

@testable import TracegateTestSupport

/// The test CA, checked with `openssl` itself: chains verify for the intended purpose only,
/// and the extensions and key type are what the TLS tests rely on.
@Suite struct CertificateAuthorityTests {
    private func openssl(_ arguments: [String]) throws -> ToolResult {
        try ExternalTool.run("openssl", arguments, timeout: .seconds(30))
    }

    @Test func serverCertificateVerifiesAsServerWithDefaultNames() throws {
        let ca = try TestCertificateAuthority()
        let server = try ca.issueServerCertificate()
        #expect(server.commonName == "localhost")
        let asServer = try openssl([
            "verify", "-CAfile", ca.certificateFile, "-purpose", "sslserver", server.certificateFile,
        ])
        #expect(asServer.status == 0, "\(asServer.stdoutText)\(asServer.stderr)")
        let asClient = try openssl([
            "verify", "-CAfile", ca.certificateFile, "-purpose", "sslclient", server.certificateFile,
        ])
        #expect(asClient.status != 0)

        let extensions = try openssl([
            "x509", "-in", server.certificateFile, "-noout", "-subject",
            "-ext", "subjectAltName,basicConstraints,keyUsage,extendedKeyUsage,authorityKeyIdentifier",
        ]).stdoutText
        #expect(extensions.contains("subject=CN = localhost"))
        #expect(extensions.contains("DNS:localhost, IP Address:127.0.0.1"))
        #expect(extensions.contains("CA:FALSE"))
        #expect(extensions.contains("Digital Signature"))
        #expect(extensions.contains("TLS Web Server Authentication"))
        #expect(extensions.contains("X509v3 Authority Key Identifier"))

        let key = try openssl(["pkey", "-in", server.privateKeyFile, "-noout", "-text"]).stdoutText
        #expect(key.contains("prime256v1"))
    }

    @Test func caCertificateIsAConstrainedCA() throws {
        let ca = try TestCertificateAuthority(commonName: "Other Test CA")
        let text = try openssl([
            "x509", "-in", ca.certificateFile, "-noout", "-subject", "-ext", "basicConstraints,keyUsage",
        ]).stdoutText
        #expect(text.contains("subject=CN = Other Test CA"))
        #expect(text.contains("CA:TRUE, pathlen:0"))
        #expect(text.contains("Certificate Sign, CRL Sign"))
    }

    @Test func serverCertificateCarriesGivenNames() throws {
        let ca = try TestCertificateAuthority()
        let server = try ca.issueServerCertificate(
            name: "api",
            dnsNames: ["api.example.com", "*.wild.example"],
            ipAddresses: ["::1"]
        )
        #expect(server.commonName == "api.example.com")
        #expect(server.certificateFile.hasSuffix("/api.crt"))
        let text = try openssl(["x509", "-in", server.certificateFile, "-noout", "-ext", "subjectAltName"]).stdoutText
        #expect(text.contains("DNS:api.example.com, DNS:*.wild.example, IP Address:0:0:0:0:0:0:0:1"))
        let verified = try openssl([
            "verify", "-CAfile", ca.certificateFile, "-verify_hostname", "x.wild.example", server.certificateFile,
        ])
        #expect(verified.status == 0, "\(verified.stdoutText)\(verified.stderr)")
    }

    @Test func clientCertificateVerifiesAsClientOnly() throws {
        let ca = try TestCertificateAuthority()
        let client = try ca.issueClientCertificate(commonName: "worker-7")
        let asClient = try openssl([
            "verify", "-CAfile", ca.certificateFile, "-purpose", "sslclient", client.certificateFile,
        ])
        #expect(asClient.status == 0, "\(asClient.stdoutText)\(asClient.stderr)")
        let asServer = try openssl([
            "verify", "-CAfile", ca.certificateFile, "-purpose", "sslserver", client.certificateFile,
        ])
        #expect(asServer.status != 0)
        let subject = try openssl(["x509", "-in", client.certificateFile, "-noout", "-subject"]).stdoutText
        #expect(subject.contains("CN = worker-7"))
    }

    @Test func anotherCAsCertificateDoesNotVerify() throws {
        let ca = try TestCertificateAuthority()
        let other = try TestCertificateAuthority()
        let server = try other.issueServerCertificate()
        let result = try openssl(["verify", "-CAfile", ca.certificateFile, server.certificateFile])
        #expect(result.status != 0)
    }

    @Test func invalidNamesAreRejectedBeforeRunningOpenSSL() throws {
        let ca = try TestCertificateAuthority()
        #expect(throws: TestSupportError.self) { try ca.issueServerCertificate(name: "a/b") }
        #expect(throws: TestSupportError.self) { try ca.issueClientCertificate(commonName: "x/CN=y") }
        #expect(throws: TestSupportError.self) { try ca.issueServerCertificate(dnsNames: [], ipAddresses: []) }
    }

    @Test func directoryIsRemovedWithTheAuthority() throws {
        var ca: TestCertificateAuthority? = try TestCertificateAuthority()
        let path = ca!.directory.path
        #expect(FileManager.default.fileExists(atPath: ca!.certificateFile))
        ca = nil
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
