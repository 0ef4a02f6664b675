// LifecycleTests: graceful drain on SIGTERM/SIGINT and configuration reload on SIGHUP.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct Lifecycle {
        /// Polls `/readyz` (bounded) until it answers `status`; returns whether it did.
        static func waitForReadyz(_ proxy: ProxyProcess, status: Int, timeout: Duration = .seconds(3)) throws -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while clock.now < deadline {
                if let response = try? Admin.get(proxy, "/readyz"), response.status == status { return true }
                usleep(20_000)
            }
            return false
        }

        @Test(arguments: [SIGTERM, SIGINT])
        func signalDrainsTheInFlightRequestAndExitsZero(signal: Int32) throws {
            let h = try Harness.start { _ in FixtureResponse.text("slow but complete").with { $0.delayBeforeHead = .seconds(1) } }
            defer { h.stop() }
            #expect(try Admin.get(h.proxy, "/readyz")?.status == 200)
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(h.upstream.waitForRequests(count: 1, timeout: .seconds(5)))
            h.proxy.signal(signal)
            #expect(try Self.waitForReadyz(h.proxy, status: 503), "/readyz never turned 503 during the drain")
            let response = client.readResponse(timeout: .seconds(10))
            #expect(response?.status == 200, "\(client.lastReadError ?? "")")
            #expect(response?.bodyText == "slow but complete")
            #expect(response?.announcesClose == true, "a response finished during the drain should close the connection")
            client.close()
            #expect(h.proxy.waitForExit(timeout: .seconds(10)) == 0)
        }

        @Test func newConnectionsAreNotServedAfterTheDrainStarts() throws {
            let h = try Harness.start { _ in FixtureResponse.text("slow").with { $0.delayBeforeHead = .seconds(1) } }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(h.upstream.waitForRequests(count: 1, timeout: .seconds(5)))
            h.proxy.signal(SIGTERM)
            #expect(try Self.waitForReadyz(h.proxy, status: 503))
            // The listener is closed (refused) or the connection is turned away with 503; never served.
            if let late = try? RawHTTPClient.connect(port: h.port) {
                late.send("GET /late HTTP/1.1\r\nHost: t\r\n\r\n")
                let answer = late.readResponse(timeout: .seconds(3))
                #expect(answer == nil || answer?.status == 503)
                late.close()
            }
            #expect(client.readResponse(timeout: .seconds(10))?.status == 200)
            client.close()
            #expect(!h.upstream.requests.contains { $0.target == "/late" })
            #expect(h.proxy.waitForExit(timeout: .seconds(10)) == 0)
        }

        static func twoRoutes(a: String, b: String?) -> String {
            """
            workers: 1
            admin: { address: "127.0.0.1:0" }
            listeners:
              - { name: public, address: "127.0.0.1:0" }
            routes:
              - { name: a, match: { path_prefix: "/a/" }, cluster: a }
            \(b == nil ? "" : "  - { name: b, match: { path_prefix: \"/b/\" }, cluster: b }")
            clusters:
              - { name: a, endpoints: ["\(a)"] }
            \(b.map { "  - { name: b, endpoints: [\"\($0)\"] }" } ?? "")
            """
        }

        @Test func sighupWithAValidFileAddsARoute() throws {
            let second = try UpstreamFixture.start { _ in .text("from b") }
            defer { second.stop() }
            let h = try Harness.start({ _ in .text("from a") }) { Self.twoRoutes(a: $0, b: nil) }
            defer { h.stop() }
            #expect(try Wire.get(port: h.port, "/b/x")?.status == 404)
            let line = try h.proxy.reload(config: Self.twoRoutes(a: h.upstream.address, b: second.address))
            #expect(line?.contains("\"reloaded\"") == true, "reload verdict: \(line ?? "none")")
            let response = try Wire.get(port: h.port, "/b/x")
            #expect(response?.status == 200)
            #expect(response?.bodyText == "from b")
            #expect(second.requests.map(\.target) == ["/b/x"])
            #expect(try Wire.get(port: h.port, "/a/x")?.bodyText == "from a")
            let state = try #require(try Admin.get(h.proxy, "/debug/state")?.json)
            let routes = (state["routes"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(routes == ["a", "b"])
        }

        @Test func sighupWithAnInvalidFileKeepsTheOldConfig() throws {
            let h = try Harness.start({ _ in .text("still a") }) { Self.twoRoutes(a: $0, b: nil) }
            defer { h.stop() }
            let broken = Self.twoRoutes(a: h.upstream.address, b: nil)
                .replacingOccurrences(of: "cluster: a }", with: "cluster: paymnets }")
            let line = try h.proxy.reload(config: broken)
            #expect(line?.contains("\"reload_failed\"") == true, "reload verdict: \(line ?? "none")")
            #expect(line?.contains("routes[0].cluster") == true, "the failure should name the key path: \(line ?? "")")
            let response = try Wire.get(port: h.port, "/a/x")
            #expect(response?.status == 200)
            #expect(response?.bodyText == "still a")
            #expect(try Admin.get(h.proxy, "/readyz")?.status == 200)
            #expect(!h.proxy.hasExited)
        }
    }
}
