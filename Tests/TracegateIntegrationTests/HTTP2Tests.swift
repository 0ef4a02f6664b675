// HTTP2Tests: HTTP/2 through Tracegate with real clients (curl, nghttp) and real origins (the
// HTTP/1.1 fixture, hyper-h2's H2Upstream): h2c prior knowledge, HTTP/1.1 on the same port,
// trailers, large bodies through flow control, errors per stream, spans, quick mode.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite(.timeLimit(.minutes(3))) struct HTTP2 {
        /// An H2Upstream and a proxy whose one cluster speaks h2c to it. Always `defer { stop() }`.
        final class H2cSetup {
            let upstream: H2Upstream
            let proxy: ProxyProcess

            init(extra: String = "") throws {
                upstream = try H2Upstream.start()
                do {
                    proxy = try ProxyProcess.start(config: H2Configs.single(backend: upstream.address, clusterProtocol: "h2c", extra: extra))
                } catch {
                    upstream.stop()
                    throw error
                }
            }

            var port: Int { (try? proxy.port("public")) ?? 0 }
            func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

            func stop() {
                proxy.stop()
                upstream.stop()
            }
        }

        @Test func h2cPriorKnowledgeToAnHTTP11UpstreamAndHTTP11OnTheSamePort() throws {
            let h = try Harness.start(config: { H2Configs.single(backend: $0) })
            defer { h.stop() }
            let result = try H2Client.curl(url: h.url("/h2/items?x=1"), headers: [("X-Forwarded-For", "203.0.113.9")])
            H2Checks.expectHTTP2(result)
            #expect(result.status == 200)
            let request = try #require(h.lastRequest, "the upstream got nothing")
            #expect(request.version == "HTTP/1.1", "an HTTP/2 stream goes upstream as HTTP/1.1")
            #expect(request.target == "/h2/items?x=1")
            #expect(request.header("Host") == "127.0.0.1:\(h.port)", "Host comes from :authority")
            let traceparent = try #require(Wire.traceparent(request.header("traceparent")), "no traceparent upstream")
            #expect(traceparent.version == "00")
            #expect(Wire.isLowerHex(traceparent.traceID, count: 32))
            #expect(Wire.isLowerHex(traceparent.parentID, count: 16))
            let correlation = try #require(result.header("x-correlation-id"), "no x-correlation-id in the HTTP/2 response")
            #expect(request.header("X-Correlation-ID") == correlation)
            #expect(request.header("X-Forwarded-For") == "203.0.113.9, 127.0.0.1", "a trusted peer's X-Forwarded-For is extended")
            #expect(request.header("X-Forwarded-Proto") == "http")
            #expect(result.json?["path"] as? String == "/h2/items?x=1", "the echo body arrives over HTTP/2: \(result.bodyText)")

            let plain = try Curl.request(url: h.url("/h1"), extraArguments: ["-w", "%{http_version}"], httpVersion: .http1_1)
            #expect(plain.status == 200)
            #expect(plain.writeOut == "1.1")
            #expect(plain.version == "HTTP/1.1")
            #expect(h.upstream.requests.map(\.target) == ["/h2/items?x=1", "/h1"])
            let metrics = try Admin.metrics(h.proxy)
            #expect((metrics.value("tracegate_http2_connections_total") ?? 0) == 1, "one of the two connections spoke HTTP/2")
            #expect((metrics.value("tracegate_http2_streams_total") ?? 0) == 1)
        }

        /// RFC 9110 §7.6.3: Via's received-protocol is "the protocol version of the message received
        /// by the server", so a request that arrived over HTTP/2 is forwarded with `Via: 2 tracegate`
        /// (or `2.0`), whatever protocol goes upstream.
        @Test func viaNamesTheProtocolTheRequestArrivedOver() throws {
            let h = try Harness.start(config: { H2Configs.single(backend: $0) })
            defer { h.stop() }
            #expect(try Curl.request(url: h.url("/via/h1"), httpVersion: .http1_1).status == 200)
            #expect(h.lastRequest?.header("Via") == "1.1 tracegate")
            H2Checks.expectHTTP2(try H2Client.curl(url: h.url("/via/h2")))
            let via = try #require(h.lastRequest?.header("Via"))
            #expect(via == "2 tracegate" || via == "2.0 tracegate", "Via of a request received over HTTP/2: \(via)")
        }

        @Test func trailersFromAnH2cUpstreamArriveAsTrailingHeaders() throws {
            let h = try H2cSetup()
            defer { h.stop() }
            let result = try H2Client.nghttp(url: h.url("/trailers"))
            #expect(result.allRequestsProcessed, "\(result.output)\(result.stderr)")
            #expect(result.status() == 200)
            let stream = try #require(result.requestStreamIDs.first)
            let blocks = result.received("HEADERS", stream: stream)
            #expect(blocks.count == 2, "response HEADERS and trailing HEADERS: \(blocks.map(\.fields))")
            let trailing = try #require(blocks.last)
            #expect(trailing.endStream, "the trailers end the stream (RFC 9113 §8.1)")
            #expect(trailing.field(":status") == nil)
            #expect(trailing.field("x-checksum")?.hasPrefix("sha256=") == true, "\(trailing.fields)")
            #expect(trailing.field("x-trailer-check") == "ok")
            #expect(result.received("DATA", stream: stream).allSatisfy { !$0.endStream }, "DATA must not end the stream before the trailers")
            #expect(result.receivedDataBytes(stream: stream) > 0)

            // The checksum covers the body as the client received it.
            let curl = try H2Client.curl(url: h.url("/trailers"))
            H2Checks.expectHTTP2(curl)
            let checksum = try #require(curl.trailers.first { $0.name.lowercased() == "x-checksum" }?.value, "curl saw no trailers: \(curl.trailers)")
            #expect(checksum == "sha256=" + SHA256Digest.hex(SHA256Digest.hash([UInt8](curl.body))))
            #expect(try h.upstream.protocolErrors().isEmpty)
        }

        @Test func anHTTP11ClientReachesAnH2cUpstream() throws {
            let h = try H2cSetup()
            defer { h.stop() }
            let result = try Curl.request(url: h.url("/echo"), method: "POST", headers: [("Content-Type", "text/plain")],
                                          body: Data("hello over h2c".utf8), httpVersion: .http1_1)
            #expect(result.status == 200, "\(result.stderr)")
            #expect(result.version == "HTTP/1.1")
            #expect(result.bodyText == "hello over h2c")
            #expect(result.header("x-correlation-id") != nil)
            let request = try #require(try h.upstream.waitForRequests(count: 1).first)
            #expect(request.method == "POST")
            #expect(request.path == "/echo")
            #expect(request.scheme == "http")
            #expect(request.authority == "127.0.0.1:\(h.port)")
            #expect(request.bodyLength == 14)
            #expect(request.complete)
            #expect(Wire.traceparent(request.header("traceparent")) != nil)
            #expect(request.header("x-correlation-id") == result.header("x-correlation-id"))
            #expect(request.header("connection") == nil, "connection-specific fields are not sent over HTTP/2 (RFC 9113 §8.2.2)")
            #expect(try h.upstream.protocolErrors().isEmpty)
        }

        /// Where the large-body tests send their bytes.
        enum UpstreamKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
            case http1, h2c
            var testDescription: String { rawValue }
        }

        static let mebibyte = 1 << 20

        @Test(arguments: UpstreamKind.allCases)
        func oneMiBDownloadThroughFlowControl(kind: UpstreamKind) throws {
            let size = Self.mebibyte
            let result: CurlResult
            switch kind {
            case .http1:
                let h = try Harness.start({ _ in .streamed(totalBytes: size, chunked: false) }) { H2Configs.single(backend: $0) }
                defer { h.stop() }
                result = try H2Client.curl(url: h.url("/bytes/\(size)"))
            case .h2c:
                let h = try H2cSetup()
                defer { h.stop() }
                result = try H2Client.curl(url: h.url("/bytes/\(size)"))
                #expect(try h.upstream.protocolErrors().isEmpty)
            }
            H2Checks.expectHTTP2(result)
            #expect(result.status == 200)
            H2Checks.expectPattern(result.body, count: size, what: "1 MiB download from the \(kind) upstream")
        }

        @Test(arguments: UpstreamKind.allCases)
        func threeMiBUploadIsEchoedByteIdentical(kind: UpstreamKind) throws {
            let size = 3 * Self.mebibyte
            let files = try TempDir(prefix: "h2upload")
            let upload = try files.writePattern("upload", totalBytes: size)
            let result: CurlResult
            switch kind {
            case .http1:
                // The HTTP/1.1 fixture keeps only the first MiB of a body but hashes all of it: it
                // answers with the pattern only when every byte it received was the pattern.
                let expected = FixturePattern.fnv1a64(totalBytes: size)
                let h = try Harness.start({ request in
                    request.bodyLength == size && request.bodyFNV1a64 == expected
                        ? .streamed(totalBytes: request.bodyLength, chunked: false)
                        : .text("received \(request.bodyLength) bytes, FNV \(request.bodyDigestHex)", status: 422)
                }) { H2Configs.single(backend: $0) }
                defer { h.stop() }
                result = try H2Client.curl(url: h.url("/echo"), method: "POST", bodyFile: upload, timeout: .seconds(60))
                #expect(h.lastRequest?.isBodyComplete == true)
            case .h2c:
                let h = try H2cSetup()
                defer { h.stop() }
                result = try H2Client.curl(url: h.url("/echo"), method: "POST", bodyFile: upload, timeout: .seconds(60))
                let request = try #require(try h.upstream.waitForRequests(count: 1).first)
                #expect(request.bodyLength == size)
                #expect(request.bodyIsPattern)
                #expect(try h.upstream.protocolErrors().isEmpty)
            }
            H2Checks.expectHTTP2(result)
            #expect(result.status == 200, "\(result.bodyText.prefix(200))")
            H2Checks.expectPattern(result.body, count: size, what: "3 MiB echo through the \(kind) upstream")
        }

        /// `/ok/` → the fixture, `/refused/` → a port where nothing listens, nothing else routed.
        static func errorConfig(backend: String, refusedPort: Int) -> String {
            """
            workers: 1
            admin: { address: "127.0.0.1:0" }
            listeners:
              - { name: public, address: "127.0.0.1:0" }
            routes:
              - { name: ok, match: { path_prefix: "/ok/" }, cluster: backend }
              - { name: refused, match: { path_prefix: "/refused/" }, cluster: refused }
            clusters:
              - { name: backend, endpoints: ["\(backend)"] }
              - { name: refused, endpoints: ["127.0.0.1:\(refusedPort)"] }
            """
        }

        @Test func noRouteIs404WithAJSONBodyOverHTTP2() throws {
            let refused = try UpstreamFixture.refusingPort()
            let h = try Harness.start(config: { Self.errorConfig(backend: $0, refusedPort: refused) })
            defer { h.stop() }
            let result = try H2Client.curl(url: h.url("/nowhere"), headers: [("X-Correlation-ID", "h2-no-route-1")])
            H2Checks.expectHTTP2(result)
            H2Checks.expectProxyError(result, status: 404, code: "no_route", sentCorrelationID: "h2-no-route-1")
            #expect(h.upstream.requests.isEmpty)
            ProxyErrors.expectLogged(h.proxy, correlationID: "h2-no-route-1", status: 404, code: "no_route")
            try ProxyErrors.expectCounted(h.proxy, code: "no_route")
        }

        @Test func aRefusedUpstreamFailsOnlyItsStream() throws {
            let refused = try UpstreamFixture.refusingPort()
            let h = try Harness.start({ _ in .text("fine") }) { Self.errorConfig(backend: $0, refusedPort: refused) }
            defer { h.stop() }
            let result = try H2Client.nghttp(urls: [h.url("/ok/1"), h.url("/refused/x"), h.url("/ok/2")])
            let streams = result.requestStreamIDs
            try #require(streams.count == 3, "nghttp sent \(streams.count) requests:\n\(result.output)")
            #expect(result.status(stream: streams[0]) == 200)
            #expect(result.status(stream: streams[1]) == 502)
            #expect(result.status(stream: streams[2]) == 200)
            #expect(result.responseHeader("content-type", stream: streams[1]) == "application/json")
            #expect(result.responseHeader("x-correlation-id", stream: streams[1]) != nil)
            for stream in streams {
                #expect(result.responseComplete(stream: stream), "stream \(stream) did not end")
                #expect(result.received("RST_STREAM", stream: stream).isEmpty, "stream \(stream) was reset")
            }
            #expect(result.goaway == nil, "one failed upstream must not end the connection")
            #expect(Set(h.upstream.requests.map(\.target)) == ["/ok/1", "/ok/2"])

            // The 502's body, over HTTP/2, as for HTTP/1.1.
            let single = try H2Client.curl(url: h.url("/refused/y"))
            H2Checks.expectHTTP2(single)
            H2Checks.expectProxyError(single, status: 502, code: "upstream_connect_failed")
            try ProxyErrors.expectUpstreamFailure(h.proxy, kind: "connect")
        }

        /// RFC 9113 §6.1: DATA on stream 0 is a connection error of type PROTOCOL_ERROR; §5.4.1: the
        /// endpoint "SHOULD first send a GOAWAY frame" before closing. Other connections are unaffected.
        @Test func aProtocolErrorEndsThatConnectionWithGOAWAY() throws {
            let h = try Harness.start(config: { H2Configs.single(backend: $0) })
            defer { h.stop() }
            let client = try HeldH2Client(target: "127.0.0.1:\(h.port)")
            defer { client.stop() }
            #expect(client.get("/before")?["status"] as? Int == 200)
            let labels = "reason=\"protocol\""
            let before = try H2Checks.counter(h.proxy, "tracegate_http2_connection_errors_total", labels)
            // DATA, length 1, no flags, stream 0, payload "x".
            let answer = try #require(client.command("raw 00000100000000000078"), "no answer: \(client.stderrText)")
            #expect(answer["closed"] as? Bool == true, "the connection survived DATA on stream 0: \(answer)")
            let frames = answer["frames"] as? [[String: Any]] ?? []
            #expect(frames.contains { $0["type"] as? String == "GOAWAY" && $0["error_code"] as? Int == 1 },
                    "expected GOAWAY(PROTOCOL_ERROR) before the close: \(frames)")
            let after = try H2Checks.counter(h.proxy, "tracegate_http2_connection_errors_total", labels, above: before)
            #expect(after > before, "tracegate_http2_connection_errors_total{\(labels)} did not rise")
            #expect(after - before == 1, "one connection counted \(after - before) times")
            let next = try H2Client.curl(url: h.url("/after"))
            H2Checks.expectHTTP2(next)
            #expect(next.status == 200)
        }

        @Test func anH2cRequestYieldsAServerSpanWithProtocolVersion2() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start(config: { H2Configs.single(backend: $0, extra: SpanExport.telemetry(receiver.endpoint)) })
            defer { h.stop() }
            let result = try H2Client.curl(url: h.url("/spans/h2"))
            H2Checks.expectHTTP2(result)
            #expect(result.status == 200)
            let spans = try receiver.waitForSpans(count: 2)
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" }, "no SERVER span: \(spans.map(\.name))")
            #expect(server.attributes["network.protocol.version"] == .string("2"))
            #expect(server.attributes["url.path"] == .string("/spans/h2"))
            #expect(server.attributes["url.scheme"] == .string("http"))
            #expect(server.attributes["http.request.method"] == .string("GET"))
            #expect(server.attributes["http.response.status_code"] == .int(200))
            #expect(server.attributes["tracegate.correlation_id"] == .string(result.header("x-correlation-id") ?? "?"))
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            #expect(upstream.traceID == server.traceID)
            let client = try #require(spans.first { $0.kind == "SPAN_KIND_CLIENT" })
            #expect(client.spanID == upstream.parentID)
            #expect(client.parentSpanID == server.spanID)
        }

        @Test func quickModeProxiesToAnH2cUpstream() throws {
            let upstream = try H2Upstream.start()
            defer { upstream.stop() }
            let proxy = try ProxyProcess.start(config: "", arguments: [
                "proxy", "--listen", "127.0.0.1:0", "--to", "h2c://\(upstream.address)", "--admin", "127.0.0.1:0", "--workers", "1",
            ])
            defer { proxy.stop() }
            let port = try proxy.port("quick")
            let overH2 = try H2Client.curl(url: "http://127.0.0.1:\(port)/quick/h2?mode=1")
            H2Checks.expectHTTP2(overH2)
            #expect(overH2.status == 200)
            #expect(overH2.json?["path"] as? String == "/quick/h2?mode=1", "\(overH2.bodyText)")
            let overH1 = try Curl.request(url: "http://127.0.0.1:\(port)/quick/h1", httpVersion: .http1_1)
            #expect(overH1.status == 200)
            #expect(overH1.json?["path"] as? String == "/quick/h1")
            let requests = try upstream.waitForRequests(count: 2)
            #expect(requests.map(\.path) == ["/quick/h2?mode=1", "/quick/h1"])
            for request in requests {
                #expect(Wire.traceparent(request.header("traceparent")) != nil)
                #expect(request.header("x-correlation-id") != nil)
            }
            #expect(try upstream.protocolErrors().isEmpty)
            #expect(proxy.stop() == 0)
        }
    }
}
