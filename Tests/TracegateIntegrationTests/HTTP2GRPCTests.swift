// HTTP2GRPCTests: real gRPC (grpcio client and server) through Tracegate's h2c listener to an h2c
// cluster: messages, status and trailing metadata survive the HTTP/2 → HTTP/1.1 head → HTTP/2
// translation, and the server sees the trace context.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.timeLimit(.minutes(3))) struct HTTP2GRPC {
        /// A gRPC server and a proxy whose one cluster speaks h2c to it. Always `defer { stop() }`.
        final class Setup {
            let server: GRPCFixture
            let proxy: ProxyProcess

            init() throws {
                server = try GRPCFixture.start()
                do {
                    proxy = try ProxyProcess.start(config: H2Configs.single(backend: server.address, clusterProtocol: "h2c"))
                } catch {
                    server.stop()
                    throw error
                }
            }

            /// The gRPC target: the proxy's h2c listener.
            var target: String { (try? proxy.listenerAddress("public")) ?? "" }

            func stop() {
                proxy.stop()
                server.stop()
            }
        }

        @Test func unaryCallKeepsStatusMessageAndTrailersAndCarriesTraceContext() throws {
            let s = try Setup()
            defer { s.stop() }
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let call = try s.server.call(.unary(message: "ping through tracegate"), target: s.target,
                                         metadata: [("traceparent", incoming), ("x-client-tag", "grpc-unary")])
            #expect(call.code == "OK", "\(call.code): \(call.details ?? "")")
            let echo = try call.unaryEcho()
            #expect(echo.request == "ping through tracegate")
            #expect(echo.requestLength == 22)
            #expect(echo.metadata("x-client-tag") == "grpc-unary")
            let seen = try #require(Wire.traceparent(echo.metadata("traceparent")), "the server saw no traceparent: \(echo.metadata)")
            #expect(seen.traceID == "4bf92f3577b34da6a3ce929d0e0e4736", "a trusted client's trace is continued")
            #expect(seen.parentID != "00f067aa0ba902b7", "the parent is Tracegate's span")
            #expect(call.initialMetadata("x-initial-check") == "unary")
            #expect(call.trailingMetadata("x-trailer-check") == "unary", "trailing metadata: \(call.trailingMetadata)")
            #expect(call.initialMetadata("x-correlation-id") != nil)
            #expect(s.server.waitForCalls(count: 1))
            let received = try #require(try s.server.receivedCalls().first)
            #expect(received.method == "/tracegate.test.Echo/Unary")
            #expect(Wire.traceparent(received.metadata("traceparent"))?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(received.metadata("x-correlation-id") == call.initialMetadata("x-correlation-id"))
        }

        @Test func serverStreamingCallDeliversEveryMessageAndTheTrailers() throws {
            let s = try Setup()
            defer { s.stop() }
            let call = try s.server.call(.stream(count: 25, message: "tick"), target: s.target)
            #expect(call.code == "OK", "\(call.code): \(call.details ?? "")")
            #expect(call.messages == (0..<25).map { "tick \($0)" })
            #expect(call.initialMetadata("x-initial-check") == "stream")
            #expect(call.trailingMetadata("x-trailer-check") == "stream")
            #expect(s.server.waitForCalls(count: 1))
            let received = try #require(try s.server.receivedCalls().first)
            #expect(received.method == "/tracegate.test.Echo/Stream")
            #expect(Wire.traceparent(received.metadata("traceparent")) != nil, "the server saw no traceparent")
        }

        @Test func aFailingCallKeepsItsStatusCodeAndDetails() throws {
            let s = try Setup()
            defer { s.stop() }
            let call = try s.server.call(.fail(code: "NOT_FOUND", details: "no such widget: 42"), target: s.target)
            #expect(call.code == "NOT_FOUND")
            #expect(call.details == "no such widget: 42")
            #expect(call.messages.isEmpty)
            #expect(call.trailingMetadata("x-trailer-check") == "fail")
            let other = try s.server.call(.fail(code: "PERMISSION_DENIED", details: "nope"), target: s.target)
            #expect(other.code == "PERMISSION_DENIED")
            #expect(other.details == "nope")
            // A gRPC failure is an HTTP 200 with grpc-status in the trailers: not a proxy error.
            let entry = AccessLogs.entry(s.proxy, correlationID: call.initialMetadata("x-correlation-id") ?? "?")
            #expect(entry?["status"] as? Int == 200, "access log: \(entry ?? [:])")
            #expect(entry?["route"] as? String == "default")
        }
    }
}
