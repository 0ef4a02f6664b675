// DebugHeaderTests: X-Debug from trusted peers, signed debug tokens from untrusted ones
// (`v1.<expiry>.<base64url HMAC-SHA256>`), expired and forged tokens, and the rate limit.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct DebugHeader {
        static let secret = "integration-test-debug-secret-0123456789"

        /// Sampling off, so only an honoured debug request is sampled; a debug secret in a temp dir.
        static func start(maxPerSecond: Int = 100) throws -> (Harness, TempDir) {
            let directory = try TempDir(prefix: "debug")
            let secretFile = try directory.write("debug.key", secret + "\n")
            let h = try Harness.start(config: { backend in
                Configs.standard(backend: backend, extra: """
                    context:
                      sampling_ratio: 0
                      debug: { secret_file: "\(secretFile)", max_per_second: \(maxPerSecond) }
                    """)
            })
            return (h, directory)
        }

        static func isSampled(_ request: FixtureRequest?) -> Bool? {
            guard let flags = Wire.traceparent(request?.header("traceparent"))?.flags, let value = UInt8(flags, radix: 16) else { return nil }
            return value & 1 == 1
        }

        static var now: Int { Int(Date().timeIntervalSince1970) }

        @Test func hmacHelperMatchesRFC4231() {
            // RFC 4231 §4.3, test case 2.
            let mac = SHA256Digest.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
            #expect(SHA256Digest.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
            #expect(SHA256Digest.hex(SHA256Digest.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(SHA256Digest.base64URL([0xfb, 0xff]) == "-_8")
        }

        @Test func trustedDebugRequestIsForcedSampled() throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            #expect(try Curl.get(h.url("/plain")).status == 200)
            #expect(Self.isSampled(h.lastRequest) == false, "sampling_ratio 0 must leave ordinary requests unsampled")
            #expect(try Curl.get(h.url("/debug"), headers: [("X-Debug", "1")]).status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Debug") == ["1"])
            #expect(Self.isSampled(seen) == true)
            let id = try #require(seen.header("X-Correlation-ID"))
            let log = try #require(AccessLogs.entry(h.proxy, correlationID: id))
            #expect(log["debug"] as? Bool == true)
            #expect(log["sampled"] as? Bool == true)
        }

        @Test(arguments: ["true", "ON"])
        func trustedEnableValuesAreNormalised(value: String) throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            _ = try Curl.get(h.url("/debug"), headers: [("X-Debug", value)])
            #expect(h.lastRequest?.headers(named: "X-Debug") == ["1"])
            #expect(Self.isSampled(h.lastRequest) == true)
        }

        @Test func untrustedUnsignedDebugIsStripped() throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            #expect(try Curl.get(h.url("/debug", listener: "outside"), headers: [("X-Debug", "1")]).status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Debug").isEmpty)
            #expect(Self.isSampled(seen) == false)
            let id = try #require(seen.header("X-Correlation-ID"))
            #expect(AccessLogs.entry(h.proxy, correlationID: id)?["debug"] as? Bool == false)
        }

        @Test func signedTokenFromUntrustedPeerIsHonoured() throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            let token = SHA256Digest.debugToken(secret: Self.secret, expiry: Self.now + 300)
            #expect(try Curl.get(h.url("/debug", listener: "outside"), headers: [("X-Debug", token)]).status == 200)
            let seen = try #require(h.lastRequest)
            #expect(seen.headers(named: "X-Debug") == ["1"], "a valid token must be honoured and normalised, never forwarded")
            #expect(Self.isSampled(seen) == true)
        }

        @Test(arguments: ["expired", "forged", "other secret", "malformed"])
        func badTokensAreStripped(kind: String) throws {
            let (h, directory) = try Self.start()
            defer { h.stop(); _ = directory }
            let valid = SHA256Digest.debugToken(secret: Self.secret, expiry: Self.now + 300)
            let token: String
            switch kind {
            case "expired": token = SHA256Digest.debugToken(secret: Self.secret, expiry: Self.now - 5)
            case "forged": token = "v1.\(Self.now + 300)." + String(valid.suffix(43).reversed())
            case "other secret": token = SHA256Digest.debugToken(secret: "another-secret-of-enough-length", expiry: Self.now + 300)
            default: token = "v1.notanumber.abc"
            }
            for listener in ["outside", "public"] {
                #expect(try Curl.get(h.url("/debug", listener: listener), headers: [("X-Debug", token)]).status == 200)
                let seen = try #require(h.lastRequest)
                #expect(seen.headers(named: "X-Debug").isEmpty, "\(kind) token honoured on \(listener)")
                #expect(Self.isSampled(seen) == false)
            }
        }

        @Test func rateLimitedDebugRequestsProceedAsOrdinaryOnes() throws {
            let (h, directory) = try Self.start(maxPerSecond: 2)
            defer { h.stop(); _ = directory }
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            for i in 0..<10 {
                #expect(client.send("GET /rl/\(i) HTTP/1.1\r\nHost: t\r\nX-Debug: 1\r\n\r\n"))
                #expect(client.readResponse()?.status == 200)
            }
            let requests = h.upstream.requests
            #expect(requests.count == 10)
            let honoured = requests.filter { $0.header("X-Debug") == "1" }
            #expect(honoured.count >= 1 && honoured.count <= 4, "\(honoured.count) of 10 honoured at 2 per second")
            for request in requests {
                #expect(Self.isSampled(request) == (request.header("X-Debug") == "1"),
                        "only honoured debug requests are sampled (\(request.target))")
            }
        }
    }
}
