// KeepAliveTests: persistent connections on both sides (RFC 9112 §9.3), upstream pooling, and
// pipelined requests answered in order (RFC 9112 §9.3.2).
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct KeepAlive {
        @Test func thousandSequentialRequestsOnOneClientConnectionReuseTheUpstream() throws {
            let h = try Harness.start { request in .text("ok \(request.target)") }
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            var failures = 0
            for i in 0..<1000 {
                guard client.send("GET /seq/\(i) HTTP/1.1\r\nHost: tracegate.test\r\n\r\n"),
                      let response = client.readResponse(timeout: .seconds(10)),
                      response.status == 200, response.bodyText == "ok /seq/\(i)", !response.announcesClose else {
                    failures += 1
                    Issue.record("request \(i) failed: \(client.lastReadError ?? "wrong response")")
                    break
                }
            }
            #expect(failures == 0)
            #expect(h.upstream.waitForRequests(count: 1000))
            let requests = h.upstream.requests
            #expect(requests.count == 1000)
            #expect(h.upstream.acceptedConnections <= 2, "the proxy opened \(h.upstream.acceptedConnections) upstream connections")
            #expect((requests.map(\.sequenceOnConnection).max() ?? 0) >= 999)
            #expect(requests.map(\.target) == (0..<1000).map { "/seq/\($0)" })
        }

        @Test func curlWithManyURLsReusesOneConnectionEachSide() throws {
            let h = try Harness.start { _ in .status(200) }
            defer { h.stop() }
            let curl = try ExternalTool.require("curl")
            let urls = (0..<25).map { h.url("/many/\($0)") }
            var arguments = ["-q", "-sS", "--noproxy", "*", "--http1.1", "-w", "%{http_code} %{num_connects}\\n"]
            for url in urls { arguments += ["-o", "/dev/null", url] }
            let result = try ExternalTool.run(curl, arguments, timeout: .seconds(30))
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdoutText.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(lines.count == 25)
            #expect(lines.allSatisfy { $0.first == "200" })
            let connects = lines.compactMap { $0.count == 2 ? Int($0[1]) : nil }.reduce(0, +)
            #expect(connects == 1, "curl opened \(connects) connections to the proxy")
            #expect(h.upstream.requests.count == 25)
            #expect(h.upstream.acceptedConnections <= 2)
        }

        @Test func pipelinedRequestsAreAnsweredInOrder() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            let pipeline = "GET /p/1 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "POST /p/2 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /p/3 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + "HEAD /p/4 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /p/5 HTTP/1.1\r\nHost: t\r\n\r\n"
            #expect(client.send(pipeline))
            var paths = [String]()
            for index in 1...5 {
                guard let response = client.readResponse(timeout: .seconds(10), requestWasHead: index == 4) else {
                    Issue.record("no response \(index): \(client.lastReadError ?? "")")
                    return
                }
                #expect(response.status == 200)
                if index == 4 {
                    #expect(response.bodyLength == 0)
                    paths.append("/p/4")
                } else {
                    paths.append(response.json?["path"] as? String ?? "?")
                }
                if index == 2 { #expect(response.json?["body_length"] as? Int == 5) }
                if index == 3 { #expect(response.json?["body_length"] as? Int == 3) }
            }
            #expect(paths == ["/p/1", "/p/2", "/p/3", "/p/4", "/p/5"])
            #expect(h.upstream.requests.map(\.target) == ["/p/1", "/p/2", "/p/3", "/p/4", "/p/5"])
            #expect(h.upstream.requests.first { $0.target == "/p/3" }?.bodyText == "abc")
        }

        @Test func upstreamConnectionIsReusedAcrossClientConnections() throws {
            let h = try Harness.start { _ in .text("pooled") }
            defer { h.stop() }
            for i in 0..<5 {
                let response = try #require(try Wire.get(port: h.port, "/pool/\(i)"))
                #expect(response.status == 200)
            }
            #expect(h.upstream.requests.count == 5)
            #expect(h.upstream.acceptedConnections == 1, "a pooled upstream connection should serve every client connection")
            let metrics = try Admin.metrics(h.proxy)
            #expect((metrics.value("tracegate_upstream_reused_total") ?? 0) >= 4)
        }
    }
}
