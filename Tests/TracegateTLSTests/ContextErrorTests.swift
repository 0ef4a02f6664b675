import Foundation
import Testing
import TracegateTLS
import TracegateTestSupport

/// Configuration errors name the file and say what is wrong with it.
@Suite struct ContextErrorTests {
    let fixtures: TLSFixtures
    let files: TempDir

    init() throws {
        fixtures = try TLSFixtures()
        files = try TempDir(prefix: "tls-errors")
    }

    private func serverError(chain: String, key: String, sni: [SNICertificate] = []) -> TLSError? {
        do {
            _ = try TLSServerContext(certificateChainFile: chain, privateKeyFile: key, sniCertificates: sni)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingCertificateFile() throws {
        let missing = files.file("absent.crt")
        let error = try #require(serverError(chain: missing, key: fixtures.server.privateKeyFile))
        #expect(error.operation == "cannot read certificate chain file \(missing): No such file or directory")
    }

    @Test func missingKeyFile() throws {
        let missing = files.file("absent.key")
        let error = try #require(serverError(chain: fixtures.server.certificateFile, key: missing))
        #expect(error.operation == "cannot read private key file \(missing): No such file or directory")
    }

    @Test func certificateFileWithoutPEM() throws {
        let garbage = try files.write("garbage.crt", "not a certificate\n")
        let error = try #require(serverError(chain: garbage, key: fixtures.server.privateKeyFile))
        #expect(error.operation == "certificate chain file \(garbage) holds no usable PEM certificate")
        #expect(error.openSSLErrors.contains { $0.contains("no start line") }, "\(error)")
    }

    @Test func keyFileWithoutPEM() throws {
        let garbage = try files.write("garbage.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        let error = try #require(serverError(chain: fixtures.server.certificateFile, key: garbage))
        #expect(error.operation == "private key file \(garbage) holds no usable PEM private key", "\(error)")
    }

    @Test func keyOfAnotherCertificate() throws {
        let other = try fixtures.ca.issueServerCertificate(name: "other")
        let error = try #require(serverError(chain: fixtures.server.certificateFile, key: other.privateKeyFile))
        #expect(
            error.operation
                == "private key file \(other.privateKeyFile) does not match the certificate in \(fixtures.server.certificateFile)"
        )
        #expect(error.description.contains("key values mismatch"), "\(error)")
    }

    @Test func keyOfAnotherTypeIsAMismatchToo() throws {
        let rsaKey = files.file("rsa.key")
        let result = try ExternalTool.run(
            "openssl",
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsaKey]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let error = try #require(serverError(chain: fixtures.server.certificateFile, key: rsaKey))
        #expect(
            error.operation
                == "private key file \(rsaKey) does not match the certificate in \(fixtures.server.certificateFile)",
            "\(error)"
        )
    }

    @Test func sniCertificateErrorsNameTheSNIFile() throws {
        let other = try fixtures.ca.issueServerCertificate(name: "other")
        let sni = SNICertificate(
            serverNames: ["api.example.com"],
            certificateChainFile: other.certificateFile,
            privateKeyFile: fixtures.server.privateKeyFile
        )
        let error = try #require(
            serverError(chain: fixtures.server.certificateFile, key: fixtures.server.privateKeyFile, sni: [sni])
        )
        #expect(
            error.operation
                == "private key file \(fixtures.server.privateKeyFile) does not match the certificate in \(other.certificateFile)"
        )
    }

    @Test func maximumBelowMinimumVersion() throws {
        #expect(throws: TLSError.self) { try fixtures.serverContext(minimumVersion: .tls13, maximumVersion: .tls12) }
        #expect(throws: TLSError.self) { try fixtures.clientContext(minimumVersion: .tls13, maximumVersion: .tls12) }
    }

    @Test func clientCAFileErrors() throws {
        let missing = files.file("absent-ca.crt")
        do {
            _ = try TLSClientContext(caFile: missing, alpn: [.h2])
            Issue.record("a missing CA file was accepted")
        } catch {
            #expect(error.operation == "cannot read CA file \(missing): No such file or directory")
        }
        let garbage = try files.write("garbage-ca.crt", "nothing\n")
        do {
            _ = try TLSClientContext(caFile: garbage, alpn: [.h2])
            Issue.record("a CA file without certificates was accepted")
        } catch {
            #expect(error.operation == "CA file \(garbage) holds no usable PEM certificate")
        }
    }

    @Test func clientCertificateNeedsItsKey() throws {
        let certificate = try fixtures.ca.issueClientCertificate()
        #expect(throws: TLSError.self) {
            try TLSClientContext(
                caFile: fixtures.ca.certificateFile,
                clientCertificateChainFile: certificate.certificateFile,
                alpn: [.h2]
            )
        }
        #expect(throws: TLSError.self) {
            try TLSClientContext(
                caFile: fixtures.ca.certificateFile,
                clientPrivateKeyFile: certificate.privateKeyFile,
                alpn: [.h2]
            )
        }
    }

    @Test func missingClientCAFileOnTheServer() throws {
        let missing = files.file("absent-client-ca.crt")
        do {
            _ = try fixtures.serverContext(clientCertificateCAFile: missing)
            Issue.record("a missing client CA file was accepted")
        } catch {
            #expect(error.operation == "cannot read client CA file \(missing): No such file or directory")
        }
    }
}
