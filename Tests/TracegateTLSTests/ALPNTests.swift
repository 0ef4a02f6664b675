import Testing
import TracegateTLS

/// ALPN selection (RFC 7301 §3.2): server preference, no overlap, no ALPN at all.
@Suite struct ALPNTests {
    let fixtures: TLSFixtures

    init() throws {
        fixtures = try TLSFixtures()
    }

    private func negotiate(server: [ALPNProtocol], client: [ALPNProtocol]) throws -> (TLSPair, TLSPair.Outcome) {
        let pair = try TLSPair(
            server: try fixtures.serverContext(alpn: server),
            client: try fixtures.clientContext(alpn: client)
        )
        return (pair, pair.handshake())
    }

    @Test func h2IsChosenWhenBothOfferIt() throws {
        let (pair, outcome) = try negotiate(server: [.h2, .http11], client: [.h2, .http11])
        #expect(outcome.bothDone)
        #expect(pair.server.negotiatedProtocol == .h2)
        #expect(pair.client.negotiatedProtocol == .h2)
    }

    @Test func serverPreferenceWinsOverClientOrder() throws {
        let (pair, outcome) = try negotiate(server: [.h2, .http11], client: [.http11, .h2])
        #expect(outcome.bothDone)
        #expect(pair.server.negotiatedProtocol == .h2)
        let (reversed, reversedOutcome) = try negotiate(server: [.http11, .h2], client: [.h2, .http11])
        #expect(reversedOutcome.bothDone)
        #expect(reversed.client.negotiatedProtocol == .http11)
    }

    @Test func http11IsChosenWhenTheClientOffersOnlyIt() throws {
        let (pair, outcome) = try negotiate(server: [.h2, .http11], client: [.http11])
        #expect(outcome.bothDone)
        #expect(pair.server.negotiatedProtocol == .http11)
        #expect(pair.client.negotiatedProtocol == .http11)
    }

    @Test func clientOfferingOnlyAnUnsupportedProtocolIsRefused() throws {
        let (_, outcome) = try negotiate(server: [.http11], client: [.h2])
        let serverError = try #require(outcome.server.error)
        #expect(serverError.description.contains("no application protocol"), "\(serverError)")
        let clientError = try #require(outcome.client.error)
        #expect(clientError.description.contains("no application protocol"), "\(clientError)")
    }

    @Test func clientWithoutALPNGetsNoProtocol() throws {
        let (pair, outcome) = try negotiate(server: [.h2, .http11], client: [])
        #expect(outcome.bothDone)
        #expect(pair.server.negotiatedProtocol == nil)
        #expect(pair.client.negotiatedProtocol == nil)
    }

    @Test func h2OnlyListenerRefusesAClientWithoutALPN() throws {
        let (_, outcome) = try negotiate(server: [.h2], client: [])
        let serverError = try #require(outcome.server.error)
        #expect(
            serverError.description.contains("the client offered no ALPN and this listener does not serve HTTP/1.1"),
            "\(serverError)"
        )
        let clientError = try #require(outcome.client.error)
        #expect(clientError.description.contains("no application protocol"), "\(clientError)")
        // The same listener serves an h2 client.
        let (pair, ok) = try negotiate(server: [.h2], client: [.h2])
        #expect(ok.bothDone)
        #expect(pair.server.negotiatedProtocol == .h2)
    }

    @Test func listenerWithoutProtocolsIsAConfigurationError() throws {
        #expect(throws: TLSError.self) { try fixtures.serverContext(alpn: []) }
    }

    @Test func wireNames() {
        #expect(ALPNProtocol.h2.wireName == "h2")
        #expect(ALPNProtocol.http11.wireName == "http/1.1")
    }
}
