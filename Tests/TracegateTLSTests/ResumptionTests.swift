import Testing
import TracegateTLS

/// Session resumption with tickets and with the server-side session cache, TLS 1.2 and 1.3.
@Suite struct ResumptionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var version: TLSVersion
        var tickets: Bool
        var testDescription: String { "\(version) \(tickets ? "tickets" : "session cache")" }
    }

    static let cases = [
        Case(version: .tls12, tickets: true), Case(version: .tls12, tickets: false),
        Case(version: .tls13, tickets: true), Case(version: .tls13, tickets: false),
    ]

    /// A full handshake, some data from the server (TLS 1.3 tickets arrive before it), and the
    /// client's session. Both connections are freed without a close_notify exchange, as most
    /// real connections end: the session must survive that.
    private func firstConnection(_ server: TLSServerContext, _ client: TLSClientContext) throws -> TLSSession {
        let pair = try TLSPair(server: server, client: client)
        let outcome = pair.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        #expect(!pair.client.sessionReused)
        let hello = Array("hello".utf8)
        #expect(try pair.transfer(hello, from: pair.server, to: pair.client) == hello)
        return try #require(pair.client.resumableSession)
    }

    @Test(arguments: cases)
    func secondConnectionResumesTheFirstsSession(_ testCase: Case) throws {
        let fixtures = try TLSFixtures()
        let server = try fixtures.serverContext(maximumVersion: testCase.version, sessionTickets: testCase.tickets)
        let client = try fixtures.clientContext()
        let session = try firstConnection(server, client)
        #expect(session.protocolVersion == testCase.version)

        let second = try TLSPair(server: server, client: client, session: session)
        let outcome = second.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        #expect(second.client.sessionReused)
        #expect(second.server.sessionReused)
        #expect(second.client.protocolVersion == testCase.version)
        #expect(second.server.negotiatedProtocol == .h2)
        let bytes = Array("resumed".utf8)
        #expect(try second.transfer(bytes, from: second.client, to: second.server) == bytes)
    }

    @Test func anotherServerContextDoesNotResume() throws {
        // A reloaded context has a new cache and new ticket keys: a full handshake, not a failure.
        let fixtures = try TLSFixtures()
        let client = try fixtures.clientContext()
        let session = try firstConnection(try fixtures.serverContext(), client)
        let second = try TLSPair(server: try fixtures.serverContext(), client: client, session: session)
        #expect(second.handshake().bothDone)
        #expect(!second.client.sessionReused)
        #expect(!second.server.sessionReused)
    }

    @Test func noSessionBeforeTheHandshake() throws {
        let fixtures = try TLSFixtures()
        let pair = try TLSPair(server: try fixtures.serverContext(), client: try fixtures.clientContext())
        #expect(pair.client.resumableSession == nil)
    }
}
