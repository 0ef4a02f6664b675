import Foundation
import Testing

@testable import TracegateTestSupport

/// grpc_client.py against grpc_server.py directly (grpcio on both sides, no proxy): each method,
/// metadata in both directions, trailers, status codes, and TLS.
@Suite struct GRPCFixtureTests {
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    @Test func unaryEchoesTheRequestAndItsMetadata() throws {
        let server = try GRPCFixture.start()
        defer { server.stop() }
        let result = try server.call(.unary(message: "ping"), metadata: [("traceparent", Self.traceparent), ("x-tenant", "t1")])
        #expect(result.isOK, "\(result)")
        #expect(result.details == nil)
        #expect(result.initialMetadata("x-initial-check") == "unary")
        #expect(result.trailingMetadata("x-trailer-check") == "unary")
        let echo = try result.unaryEcho()
        #expect(echo.request == "ping")
        #expect(echo.requestLength == 4)
        #expect(echo.metadata("traceparent") == Self.traceparent)
        #expect(echo.metadata("x-tenant") == "t1")
        #expect(echo.metadata("user-agent")?.contains("grpc-python") == true)
        // The server's own record of the call, printed when it started.
        #expect(server.waitForCalls(count: 1))
        let call = try #require(try server.receivedCalls().first)
        #expect(call.method == "/tracegate.test.Echo/Unary")
        #expect(call.metadata("traceparent") == Self.traceparent)
        #expect(call.requestLength == 4)
    }

    @Test func serverStreamingSendsTheRequestedMessages() throws {
        let server = try GRPCFixture.start()
        defer { server.stop() }
        let result = try server.call(.stream(count: 5, message: "tick"))
        #expect(result.isOK, "\(result)")
        #expect(result.messages == ["tick 0", "tick 1", "tick 2", "tick 3", "tick 4"])
        #expect(result.initialMetadata("x-initial-check") == "stream")
        #expect(result.trailingMetadata("x-trailer-check") == "stream")
        #expect(throws: TestSupportError.self) { try result.unaryEcho() }
    }

    @Test func failEndsWithTheChosenStatusAndKeepsTrailers() throws {
        let server = try GRPCFixture.start()
        defer { server.stop() }
        let result = try server.call(.fail(code: "NOT_FOUND", details: "no such thing"))
        #expect(result.code == "NOT_FOUND")
        #expect(!result.isOK)
        #expect(result.details == "no such thing")
        #expect(result.messages.isEmpty)
        #expect(result.trailingMetadata("x-trailer-check") == "fail")
        let other = try server.call(.fail(code: "resource_exhausted", details: "slow down"))
        #expect(other.code == "RESOURCE_EXHAUSTED")
        #expect(other.details == "slow down")
        #expect(server.waitForCalls(count: 2))
        #expect(try server.receivedCalls().map(\.method) == ["/tracegate.test.Echo/Fail", "/tracegate.test.Echo/Fail"])
    }

    @Test func aServerThatIsGoneIsUnavailable() throws {
        let port = try UpstreamFixture.refusingPort()
        let result = try GRPCFixture.call(.unary(), target: "127.0.0.1:\(port)", timeout: .seconds(5))
        #expect(result.code == "UNAVAILABLE")
        #expect(result.messages.isEmpty)
    }

    @Test func tlsCallsVerifyTheServerCertificate() throws {
        let certificate = try TestCertificate.selfSigned()
        let server = try GRPCFixture.start(tls: certificate)
        defer { server.stop() }
        let result = try server.call(.unary(message: "secure"), caCertificate: certificate.certificatePath)
        #expect(result.isOK, "\(result)")
        #expect(try result.unaryEcho().request == "secure")
        #expect(result.trailingMetadata("x-trailer-check") == "unary")
        // The same server over cleartext: the handshake fails, so the call does.
        let plain = try server.call(.unary(), timeout: .seconds(5))
        #expect(plain.code == "UNAVAILABLE")
    }
}
