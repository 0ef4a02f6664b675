import Testing
import TracegateTLS
import TracegateTestSupport

/// SNI certificate selection: exact names, then one-label wildcards, else the default.
@Suite struct SNITests {
    let fixtures: TLSFixtures
    let server: TLSServerContext

    init() throws {
        fixtures = try TLSFixtures()
        let api = try fixtures.ca.issueServerCertificate(
            name: "api",
            dnsNames: ["api.example.com", "api2.example.com"],
            ipAddresses: []
        )
        let wild = try fixtures.ca.issueServerCertificate(name: "wild", dnsNames: ["*.wild.example"], ipAddresses: [])
        let exact = try fixtures.ca.issueServerCertificate(
            name: "exact",
            dnsNames: ["www.wild.example"],
            ipAddresses: []
        )
        server = try fixtures.serverContext(sniCertificates: [
            SNICertificate(
                serverNames: ["api.example.com", "API2.Example.com"],
                certificateChainFile: api.certificateFile,
                privateKeyFile: api.privateKeyFile
            ),
            SNICertificate(
                serverNames: ["*.wild.example"],
                certificateChainFile: wild.certificateFile,
                privateKeyFile: wild.privateKeyFile
            ),
            SNICertificate(
                serverNames: ["www.wild.example"],
                certificateChainFile: exact.certificateFile,
                privateKeyFile: exact.privateKeyFile
            ),
        ])
    }

    /// The subject of the certificate the server presented for `serverName`.
    private func presentedSubject(
        for serverName: String?,
        verify: Bool = false
    ) throws -> (subject: String?, outcome: TLSPair.Outcome, pair: TLSPair) {
        let pair = try TLSPair(
            server: server,
            client: try fixtures.clientContext(verifyPeer: verify),
            serverName: serverName
        )
        let outcome = pair.handshake()
        return (pair.client.peerCertificateSubject, outcome, pair)
    }

    @Test func exactNameSelectsItsCertificate() throws {
        let (subject, outcome, pair) = try presentedSubject(for: "api.example.com", verify: true)
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        #expect(subject == "CN=api.example.com")
        #expect(pair.server.serverName == "api.example.com")
    }

    @Test func namesMatchCaseInsensitively() throws {
        #expect(try presentedSubject(for: "API.EXAMPLE.com").subject == "CN=api.example.com")
        #expect(try presentedSubject(for: "api2.example.com").subject == "CN=api.example.com")
    }

    @Test func wildcardMatchesExactlyOneLabel() throws {
        let (subject, outcome, _) = try presentedSubject(for: "x.wild.example", verify: true)
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        #expect(subject == "CN=*.wild.example")
        #expect(try presentedSubject(for: "a.b.wild.example").subject == "CN=localhost")
        #expect(try presentedSubject(for: "wild.example").subject == "CN=localhost")
    }

    @Test func exactNameWinsOverWildcard() throws {
        #expect(try presentedSubject(for: "www.wild.example").subject == "CN=www.wild.example")
    }

    @Test func unknownOrMissingNameGetsTheDefaultCertificate() throws {
        let (subject, outcome, _) = try presentedSubject(for: "localhost", verify: true)
        #expect(outcome.bothDone)
        #expect(subject == "CN=localhost")
        #expect(try presentedSubject(for: "other.example").subject == "CN=localhost")
        let (noSNI, noSNIOutcome, pair) = try presentedSubject(for: nil)
        #expect(noSNIOutcome.bothDone)
        #expect(noSNI == "CN=localhost")
        #expect(pair.server.serverName == nil)
    }

    @Test func alpnStillWorksAfterTheSwitch() throws {
        let (_, outcome, pair) = try presentedSubject(for: "api.example.com")
        #expect(outcome.bothDone)
        #expect(pair.server.negotiatedProtocol == .h2)
    }

    @Test(arguments: ["", "*", "*.com", "a.*.example", "*x.example", ".example.com", "bad name"])
    func invalidServerNamesAreRejected(name: String) throws {
        do {
            _ = try fixtures.serverContext(sniCertificates: [
                SNICertificate(
                    serverNames: [name],
                    certificateChainFile: fixtures.server.certificateFile,
                    privateKeyFile: fixtures.server.privateKeyFile
                )
            ])
            Issue.record("\"\(name)\" was accepted")
        } catch {
            #expect(error.description.contains("invalid server name"), "\(error)")
            #expect(error.description.contains(fixtures.server.certificateFile))
        }
    }

    @Test func sniCertificateWithoutNamesIsRejected() throws {
        #expect(throws: TLSError.self) {
            try fixtures.serverContext(sniCertificates: [
                SNICertificate(
                    serverNames: [],
                    certificateChainFile: fixtures.server.certificateFile,
                    privateKeyFile: fixtures.server.privateKeyFile
                )
            ])
        }
    }
}
