// MessageBodyTests: body framing both ways (RFC 9112 §6-§7), trailers, Expect: 100-continue
// (RFC 9110 §10.1.1), HEAD, 204/304, interim 1xx and the Upgrade tunnel (RFC 9110 §7.8).
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct MessageBodies {
        @Test func contentLengthRequestBodyArrivesIntact() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            let size = 300_000
            #expect(client.send("PUT /cl HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n"))
            #expect(client.sendPattern(totalBytes: size))
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.header("Content-Length") == String(size))
            #expect(seen.bodyLength == size)
            #expect(seen.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: size))
        }

        @Test func chunkedRequestBodyAndTrailersArriveIntact() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let body = "POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                + "5\r\nhello\r\n" + "1;ext=1\r\n,\r\n" + "A\r\n0123456789\r\n"
                + "0\r\nX-Sum: 16\r\n\r\n"
            let response = try #require(try Wire.exchange(port: h.port, body))
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.header("Transfer-Encoding")?.lowercased() == "chunked")
            #expect(seen.bodyText == "hello,0123456789")
            #expect(seen.isBodyComplete)
            #expect(seen.trailer("X-Sum") == "16")
        }

        @Test(arguments: [false, true])
        func responseBodyArrivesIntact(chunked: Bool) throws {
            let size = 700_001
            let h = try Harness.start { _ in .streamed(totalBytes: size, chunked: chunked) }
            defer { h.stop() }
            let response = try #require(try Wire.get(port: h.port, "/download"))
            #expect(response.status == 200)
            #expect(response.framing == (chunked ? "chunked" : "content-length"))
            #expect(response.bodyLength == size)
            #expect(response.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: size))
        }

        @Test func chunkedResponseTrailersArePassedThrough() throws {
            let h = try Harness.start { _ in
                .chunked([.init("first "), .init("second ", delayAfter: .milliseconds(20)), .init("third")],
                         trailers: [("X-Checksum", "c0ffee"), ("Server-Timing", "db;dur=53")])
            }
            defer { h.stop() }
            let response = try #require(try Wire.get(port: h.port, "/trailers", headers: ["TE: trailers"]))
            #expect(response.status == 200)
            #expect(response.framing == "chunked")
            #expect(response.bodyText == "first second third")
            #expect(response.trailer("X-Checksum") == "c0ffee")
            #expect(response.trailer("Server-Timing") == "db;dur=53")
        }

        @Test func expectContinueWithCurl() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let body = Data(repeating: 0x61, count: 20_000)
            let result = try Curl.request(url: h.url("/expect"), headers: [("Expect", "100-continue")], body: body,
                                          extraArguments: ["--expect100-timeout", "10"])
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.informational == [100])
            #expect(result.status == 200)
            #expect(result.json?["body_length"] as? Int == body.count)
            let seen = try #require(h.lastRequest)
            #expect(seen.bodyLength == body.count)
            #expect(seen.isBodyComplete)
        }

        @Test func expectContinueRejectedByUpstream() throws {
            let h = try Harness.start { request in
                request.isAwaitingContinue ? FixtureResponse().with { $0.rejectExpect = 417 } : .text("body was read")
            }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("POST /reject HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 50000\r\n\r\n"))
            let response = try #require(client.readResponse(), "\(client.lastReadError ?? "")")
            #expect(response.status == 417)
            #expect(h.upstream.waitForRequests(count: 1))
            #expect(h.upstream.requests.first?.bodyLength == 0)
            #expect(h.upstream.requests.count == 1)
        }

        @Test func headKeepsFramingHeadersAndSendsNoBody() throws {
            let h = try Harness.start { request in
                FixtureResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .bytes(Array(repeating: 0x62, count: 5000)))
            }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("HEAD /head HTTP/1.1\r\nHost: t\r\n\r\n"))
            let head = try #require(client.readResponse(requestWasHead: true))
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5000")
            #expect(head.header("Content-Type") == "text/plain")
            // A stray body byte would corrupt the next response on the connection.
            #expect(client.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n"))
            let next = try #require(client.readResponse(), "\(client.lastReadError ?? "")")
            #expect(next.status == 200)
            #expect(next.bodyLength == 5000)
            #expect(h.upstream.requests.map(\.method) == ["HEAD", "GET"])
        }

        @Test(arguments: [204, 304])
        func bodylessStatusesSendNoBody(status: Int) throws {
            let h = try Harness.start { request in
                request.path == "/next" ? .text("next") : FixtureResponse(status: status, headers: [("ETag", "\"e1\"")])
            }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /empty HTTP/1.1\r\nHost: t\r\nIf-None-Match: \"e1\"\r\n\r\n"))
            let first = try #require(client.readResponse())
            #expect(first.status == status)
            #expect(first.bodyLength == 0)
            #expect(first.header("ETag") == "\"e1\"")
            #expect(first.headers(named: "Transfer-Encoding").isEmpty)
            #expect(client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n"))
            let second = try #require(client.readResponse(), "\(client.lastReadError ?? "")")
            #expect(second.status == 200)
            #expect(second.bodyText == "next")
        }

        @Test func informationalResponseReachesClientBeforeFinal() throws {
            let h = try Harness.start { _ in FixtureResponse.text("final").with { $0.informational = [103] } }
            defer { h.stop() }
            let result = try Curl.get(h.url("/hints"))
            #expect(result.informational == [103])
            #expect(result.status == 200)
            #expect(result.bodyText == "final")
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /hints HTTP/1.1\r\nHost: t\r\n\r\n"))
            let interim = try #require(client.readResponse())
            #expect(interim.status == 103)
            let final = try #require(client.readResponse())
            #expect(final.status == 200)
            #expect(final.bodyText == "final")
        }

        /// An upgraded connection idle both ways for `timeouts.tunnel_idle` is closed (and counted as
        /// a finished 101 exchange); one with traffic stays open past it.
        @Test func idleTunnelIsClosedAfterTunnelIdle() throws {
            let h = try Harness.start({ _ in .upgradeEcho }, config: {
                Configs.standard(backend: $0, extra: "timeouts: { tunnel_idle: 400ms }")
            })
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"))
            let switched = try #require(client.readResponse())
            #expect(switched.status == 101)
            // Traffic for longer than the idle timeout keeps it open.
            for _ in 0..<4 {
                #expect(client.send("HTTP/1.1 200 Ping\r\nContent-Length: 1\r\n\r\nx"))
                #expect(try #require(client.readResponse()).reason == "Ping")
                Thread.sleep(forTimeInterval: 0.2)  // pacing the traffic, not waiting for readiness
            }
            // Then silence: the proxy closes it within a few wheel ticks of 400 ms.
            let started = ContinuousClock.now
            #expect(client.isClosedByPeer(timeout: .seconds(5)))
            #expect(ContinuousClock.now - started < .seconds(3))
        }

        @Test func websocketUpgradeIsTunnelledBothWays() throws {
            let h = try Harness.start { _ in .upgradeEcho }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
            let switched = try #require(client.readResponse(), "\(client.lastReadError ?? "")")
            #expect(switched.status == 101)
            #expect(switched.header("Upgrade")?.lowercased() == "websocket")
            #expect(switched.header("Connection")?.lowercased().contains("upgrade") == true)
            let seen = try #require(h.lastRequest)
            #expect(seen.header("Upgrade") == "websocket")
            #expect(seen.header("Connection")?.lowercased().contains("upgrade") == true)
            #expect(seen.header("Sec-WebSocket-Key") == "dGhlIHNhbXBsZSBub25jZQ==")
            // The echo comes back through the tunnel; framing the bytes as an HTTP message lets the
            // raw client read exactly them back without closing (a tunnel closes both ways on EOF,
            // RFC 9110 §9.3.6).
            for round in 0..<2 {
                let payload = (0..<(40_000 + round)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ round) }
                #expect(client.send("HTTP/1.1 200 Echo\r\nContent-Length: \(payload.count)\r\n\r\n"))
                #expect(client.send(payload))
                let echoed = try #require(client.readResponse(), "round \(round): \(client.lastReadError ?? "")")
                #expect(echoed.reason == "Echo")
                #expect(echoed.body == payload)
            }
            client.close()
            #expect(h.upstream.waitForOpenConnections(atMost: 0, timeout: .seconds(5)), "the tunnel's upstream side stayed open")
        }
    }
}
