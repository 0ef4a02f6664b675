// ForwardingTests: requests and responses through the proxy — echo, X-Forwarded-*, Via, hop-by-hop
// removal (RFC 9110 §7.6.1) and end-to-end fields kept verbatim.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct Forwarding {
        @Test func getIsForwardedAndEchoed() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let result = try Curl.request(url: h.url("/hello/world?x=1&y=two"), headers: [("Accept", "application/json")])
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.status == 200)
            #expect(result.header("Content-Type") == "application/json")
            let echo = try #require(result.json)
            #expect(echo["method"] as? String == "GET")
            #expect(echo["path"] as? String == "/hello/world?x=1&y=two")
            let request = try #require(h.lastRequest)
            #expect(request.method == "GET")
            #expect(request.target == "/hello/world?x=1&y=two")
            #expect(request.version == "HTTP/1.1")
            #expect(request.header("Host") == "127.0.0.1:\(h.port)")
            #expect(request.header("Accept") == "application/json")
            #expect(request.headers(named: "X-Forwarded-For") == ["127.0.0.1"])
            #expect(request.headers(named: "X-Forwarded-Proto") == ["http"])
            #expect(request.headers(named: "X-Forwarded-Host") == ["127.0.0.1:\(h.port)"])
            #expect(request.headers(named: "Via") == ["1.1 tracegate"])
            #expect(h.upstream.protocolErrors.isEmpty)
        }

        @Test func postBodyIsForwardedWithContentLength() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let body = Data("name=tracegate&payload=\(String(repeating: "z", count: 3000))".utf8)
            let result = try Curl.request(url: h.url("/submit"), headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
            #expect(result.status == 200)
            #expect(result.json?["body_length"] as? Int == body.count)
            let request = try #require(h.lastRequest)
            #expect(request.method == "POST")
            #expect(request.header("Content-Length") == String(body.count))
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(request.body == [UInt8](body))
            #expect(request.isBodyComplete)
        }

        @Test func hopByHopRequestFieldsAreRemoved() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let request = """
                GET /hop HTTP/1.1\r
                Host: tracegate.test\r
                Connection: keep-alive, X-Hop-Custom, x-other-hop\r
                Keep-Alive: timeout=5, max=100\r
                Proxy-Connection: keep-alive\r
                TE: trailers, deflate\r
                Trailer: X-Checksum\r
                Upgrade: h2c\r
                X-Hop-Custom: must-not-pass\r
                X-Other-Hop: neither\r
                X-End-To-End: kept  with   inner spaces ;q=1\r
                X-MiXeD-CaSe: Value\r
                X-Multi: first\r
                X-Multi: second\r
                Cache-Control: no-cache\r
                \r

                """
            let response = try #require(try Wire.exchange(port: h.port, request))
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            for name in ["Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade", "X-Hop-Custom", "X-Other-Hop"] {
                #expect(seen.headers(named: name).isEmpty, "\(name) reached the upstream: \(seen.rawHead)")
            }
            for value in seen.headers(named: "Connection") {
                let members = value.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(!members.contains("x-hop-custom") && !members.contains("x-other-hop") && !members.contains("upgrade"),
                        "the client's Connection options were forwarded: \(value)")
            }
            // End-to-end fields: byte for byte, name casing, order and repeats included.
            #expect(seen.rawHead.contains("\r\nX-End-To-End: kept  with   inner spaces ;q=1\r\n"))
            #expect(seen.rawHead.contains("\r\nX-MiXeD-CaSe: Value\r\n"))
            #expect(seen.headers(named: "X-Multi") == ["first", "second"])
            #expect(seen.header("Cache-Control") == "no-cache")
        }

        @Test func hopByHopResponseFieldsAreRemoved() throws {
            let h = try Harness.start { _ in
                FixtureResponse(status: 200, headers: [
                    ("Content-Type", "text/plain"), ("Keep-Alive", "timeout=99"), ("Connection", "X-Resp-Hop"),
                    ("X-Resp-Hop", "secret"), ("Proxy-Connection", "keep-alive"), ("Upgrade", "h2c"),
                    ("ETag", "\"v1\""), ("X-Resp-End", "kept  verbatim"),
                ], body: .bytes(Array("ok".utf8)))
            }
            defer { h.stop() }
            let response = try #require(try Wire.get(port: h.port, "/resp"))
            #expect(response.status == 200)
            #expect(response.bodyText == "ok")
            for name in ["Keep-Alive", "X-Resp-Hop", "Proxy-Connection", "Upgrade"] {
                #expect(response.headers(named: name).isEmpty, "\(name) reached the client: \(response.rawHead)")
            }
            #expect(!response.headers(named: "Connection").joined().lowercased().contains("x-resp-hop"))
            #expect(response.header("ETag") == "\"v1\"")
            #expect(response.rawHead.contains("\r\nX-Resp-End: kept  verbatim\r\n"))
        }

        @Test func forwardedFieldsFromTrustedPeerAreKeptAndExtended() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let response = try #require(try Wire.get(port: h.port, "/fwd", headers: [
                "X-Forwarded-For: 203.0.113.7, 10.1.2.3", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: shop.example", "Via: 1.1 cdn-edge",
            ]))
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Forwarded-For") == ["203.0.113.7, 10.1.2.3, 127.0.0.1"])
            #expect(seen.headers(named: "X-Forwarded-Proto") == ["https"])
            #expect(seen.headers(named: "X-Forwarded-Host") == ["shop.example"])
            #expect(seen.headers(named: "Via") == ["1.1 cdn-edge, 1.1 tracegate"])
        }

        @Test func forwardedFieldsFromUntrustedPeerAreReplaced() throws {
            let h = try Harness.start()
            defer { h.stop() }
            let response = try #require(try Wire.get(port: h.outsidePort, "/fwd", headers: [
                "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example",
            ]))
            #expect(response.status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Forwarded-For") == ["127.0.0.1"])
            #expect(seen.headers(named: "X-Forwarded-Proto") == ["http"])
            #expect(seen.headers(named: "X-Forwarded-Host") == ["tracegate.test"])
            #expect(seen.headers(named: "Via") == ["1.1 tracegate"])
        }
    }
}
