import Testing
import TracegateTLS
import TracegateTestSupport

/// Client-side verification of the server (chain, host name, IP) and client certificates.
@Suite struct VerificationTests {
    let fixtures: TLSFixtures

    init() throws {
        fixtures = try TLSFixtures()
    }

    @Test func serverFromAnotherCAIsRejected() throws {
        let other = try TestCertificateAuthority()
        let client = try TLSClientContext(caFile: other.certificateFile, alpn: [.h2])
        let pair = try TLSPair(server: try fixtures.serverContext(), client: client)
        let outcome = pair.handshake()
        let error = try #require(outcome.client.error)
        #expect(
            error.description.contains("peer certificate verification failed: unable to get local issuer certificate"),
            "\(error)"
        )
        #expect(outcome.server.error != nil)
    }

    @Test func wrongHostNameIsRejected() throws {
        let pair = try TLSPair(
            server: try fixtures.serverContext(),
            client: try fixtures.clientContext(),
            serverName: "wrong.example"
        )
        let error = try #require(pair.handshake().client.error)
        #expect(error.description.contains("hostname mismatch"), "\(error)")
    }

    @Test func ipAddressIsVerifiedAgainstIPSubjectAltNames() throws {
        let good = try TLSPair(
            server: try fixtures.serverContext(),
            client: try fixtures.clientContext(),
            serverName: "127.0.0.1"
        )
        let outcome = good.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        // An IP literal is not sent as SNI (RFC 6066 §3).
        #expect(good.server.serverName == nil)

        let bad = try TLSPair(
            server: try fixtures.serverContext(),
            client: try fixtures.clientContext(),
            serverName: "127.0.0.2"
        )
        let error = try #require(bad.handshake().client.error)
        #expect(error.description.contains("IP address mismatch"), "\(error)")
    }

    @Test func verifyPeerFalseAcceptsAnyCertificate() throws {
        let other = try TestCertificateAuthority()
        let client = try TLSClientContext(caFile: other.certificateFile, verifyPeer: false, alpn: [.http11])
        let pair = try TLSPair(server: try fixtures.serverContext(), client: client, serverName: "wrong.example")
        #expect(pair.handshake().bothDone)
    }

    @Test func systemTrustStoreDoesNotTrustTheTestCA() throws {
        let client = try TLSClientContext(caFile: nil, alpn: [.h2])
        let pair = try TLSPair(server: try fixtures.serverContext(), client: client)
        let error = try #require(pair.handshake().client.error)
        #expect(error.description.contains("peer certificate verification failed"), "\(error)")
    }

    @Test func requiredClientCertificateIsVerified() throws {
        let server = try fixtures.serverContext(clientCertificateCAFile: fixtures.ca.certificateFile)
        let certificate = try fixtures.ca.issueClientCertificate(commonName: "worker-1")
        let client = try fixtures.clientContext(certificate: certificate)
        let pair = try TLSPair(server: server, client: client)
        let outcome = pair.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        #expect(pair.server.peerCertificateSubject == "CN=worker-1")
        // TLS 1.3 clients finish before the server checked their certificate: data shows it.
        let bytes = Array("ping".utf8)
        #expect(try pair.transfer(bytes, from: pair.client, to: pair.server) == bytes)
        #expect(try pair.transfer(bytes, from: pair.server, to: pair.client) == bytes)

        // Resumption keeps working with client verification (session id context is set).
        let session = try #require(pair.client.resumableSession)
        let second = try TLSPair(server: server, client: client, session: session)
        #expect(second.handshake().bothDone)
        #expect(second.server.sessionReused)
    }

    @Test func missingClientCertificateIsRefused() throws {
        let server = try fixtures.serverContext(clientCertificateCAFile: fixtures.ca.certificateFile)
        let pair = try TLSPair(server: server, client: try fixtures.clientContext())
        let outcome = pair.handshake()
        let error = try #require(outcome.server.error)
        #expect(error.description.contains("peer did not return a certificate"), "\(error)")
    }

    @Test func clientCertificateFromAnotherCAIsRefused() throws {
        let other = try TestCertificateAuthority()
        let certificate = try other.issueClientCertificate()
        let server = try fixtures.serverContext(clientCertificateCAFile: fixtures.ca.certificateFile)
        let pair = try TLSPair(server: server, client: try fixtures.clientContext(certificate: certificate))
        let error = try #require(pair.handshake().server.error)
        #expect(error.description.contains("peer certificate verification failed"), "\(error)")
    }
}
