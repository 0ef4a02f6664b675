import Testing
import TracegateTLS

/// Full handshakes between a server and a client connection, then data both ways.
@Suite struct HandshakeTests {
    @Test func handshakeCompletesAndDataFlowsBothWays() throws {
        let fixtures = try TLSFixtures()
        let pair = try TLSPair(server: try fixtures.serverContext(), client: try fixtures.clientContext())
        let outcome = pair.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        #expect(pair.server.protocolVersion == .tls13)
        #expect(pair.client.protocolVersion == .tls13)
        #expect(!pair.server.sessionReused)
        #expect(pair.server.serverName == "localhost")
        #expect(pair.client.peerCertificateSubject == "CN=localhost")
        #expect(pair.server.peerCertificateSubject == nil)

        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        #expect(try pair.transfer(request, from: pair.client, to: pair.server) == request)
        let response = Array("HTTP/1.1 204 No Content\r\n\r\n".utf8)
        #expect(try pair.transfer(response, from: pair.server, to: pair.client) == response)
    }

    @Test func protocolVersionIsNilBeforeTheHandshake() throws {
        let fixtures = try TLSFixtures()
        let pair = try TLSPair(server: try fixtures.serverContext(), client: try fixtures.clientContext())
        #expect(pair.client.protocolVersion == nil)
        #expect(pair.server.negotiatedProtocol == nil)
        #expect(pair.handshake().bothDone)
        #expect(pair.client.protocolVersion != nil)
    }

    @Test func tls12IsNegotiatedWhenTheServerCapsIt() throws {
        let fixtures = try TLSFixtures()
        let pair = try TLSPair(
            server: try fixtures.serverContext(maximumVersion: .tls12),
            client: try fixtures.clientContext()
        )
        #expect(pair.handshake().bothDone)
        #expect(pair.server.protocolVersion == .tls12)
        #expect(pair.client.protocolVersion == .tls12)
        #expect(pair.client.negotiatedProtocol == .h2)
    }

    @Test func serverRequiringTLS13RefusesATLS12Client() throws {
        let fixtures = try TLSFixtures()
        let pair = try TLSPair(
            server: try fixtures.serverContext(minimumVersion: .tls13),
            client: try fixtures.clientContext(maximumVersion: .tls12)
        )
        let outcome = pair.handshake()
        let serverError = try #require(outcome.server.error)
        #expect(serverError.description.contains("unsupported protocol"), "\(serverError)")
        let clientError = try #require(outcome.client.error)
        #expect(clientError.description.contains("protocol version"), "\(clientError)")
    }

    @Test func clientRequiringTLS13RefusesATLS12Server() throws {
        let fixtures = try TLSFixtures()
        let pair = try TLSPair(
            server: try fixtures.serverContext(maximumVersion: .tls12),
            client: try fixtures.clientContext(minimumVersion: .tls13)
        )
        let outcome = pair.handshake()
        #expect(outcome.client.error != nil)
        #expect(outcome.server.error != nil)
    }

    @Test func failedHandshakeLeavesNothingBehindForTheNextConnection() throws {
        // A failure fills the thread's OpenSSL error queue; a stale entry would make the next
        // connection's first WANT_READ look like a failure (SSL_get_error consults the queue).
        let fixtures = try TLSFixtures()
        let server = try fixtures.serverContext()
        let failing = try TLSPair(server: server, client: try fixtures.clientContext(), serverName: "wrong.example")
        #expect(failing.handshake().client.error != nil)
        for _ in 0..<3 {
            let pair = try TLSPair(server: server, client: try fixtures.clientContext())
            let outcome = pair.handshake()
            #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        }
    }

    @Test func connectionsOutliveTheirContexts() throws {
        // Certificate reload drops the old context while its connections still run.
        let fixtures = try TLSFixtures()
        var server: TLSServerContext? = try fixtures.serverContext(sniCertificates: [
            SNICertificate(
                serverNames: ["api.example.com"],
                certificateChainFile: fixtures.server.certificateFile,
                privateKeyFile: fixtures.server.privateKeyFile
            )
        ])
        var client: TLSClientContext? = try fixtures.clientContext()
        let pair = try TLSPair(server: server!, client: client!, serverName: "localhost")
        server = nil
        client = nil
        let outcome = pair.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        let bytes = Array("still here".utf8)
        #expect(try pair.transfer(bytes, from: pair.server, to: pair.client) == bytes)
    }
}
