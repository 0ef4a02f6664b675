// ValueSyntaxTests.swift — durations, sizes, addresses and host matching.

import Testing
import TracegateConfig

@Suite("Value syntax")
struct ValueSyntaxTests {
    @Test(
        "durations",
        arguments: [
            ("250ms", Duration.milliseconds(250)),
            ("1.5s", .milliseconds(1_500)),
            ("0.1s", .milliseconds(100)),
            ("30m", .seconds(1_800)),
            ("2h", .seconds(7_200)),
            ("1.25h", .seconds(4_500)),
            ("45", .seconds(45)),
            ("\"45\"", .seconds(45)),
            ("10 s", .seconds(10)),
            ("0.0000000015s", .nanoseconds(1)),
        ]
    )
    func durations(text: String, expected: Duration) throws {
        let config = try #require(loadValid(baseYAML + "timeouts: {header_read: \(text)}\n"))
        #expect(config.timeouts.headerRead == expected)
    }

    @Test(
        "sizes",
        arguments: [
            ("65536", 65_536), ("64KiB", 65_536), ("1MiB", 1_048_576), ("2GiB", 2_147_483_648),
            ("3KB", 3_000), ("3kB", 3_000), ("5MB", 5_000_000), ("1GB", 1_000_000_000), ("100B", 100),
            ("\"1 GiB\"", 1_073_741_824), ("0", 0),
        ]
    )
    func sizes(text: String, expected: Int) throws {
        let config = try #require(loadValid(baseYAML + "limits: {max_request_body_bytes: \(text)}\n"))
        #expect(config.limits.maxRequestBodyBytes == expected)
    }

    @Test(
        "addresses parse and print",
        arguments: [
            ("127.0.0.1:80", "127.0.0.1", 80, false, "127.0.0.1:80"),
            ("[::1]:80", "::1", 80, true, "[::1]:80"),
            ("[2001:DB8:0::1]:443", "2001:db8::1", 443, true, "[2001:db8::1]:443"),
            ("LocalHost:0", "localhost", 0, false, "localhost:0"),
            ("Backend.Internal:9000", "backend.internal", 9000, false, "backend.internal:9000"),
            ("svc_name:65535", "svc_name", 65535, false, "svc_name:65535"),
        ]
    )
    func addresses(text: String, host: String, port: Int, isIPv6: Bool, printed: String) throws {
        let address = try #require(SocketAddressSpec.parse(text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.isIPv6Literal == isIPv6)
        #expect(address.description == printed)
    }

    @Test(
        "invalid addresses",
        arguments: [
            "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", ":80", "[::1]80", "[::1:80", "::1:80",
            "1.2.3:80", "-bad-:80", "a..b:80", "host name:80", "[fe80::1%eth0]:80",
        ]
    )
    func invalidAddresses(text: String) {
        #expect(SocketAddressSpec.parse(text) == nil)
    }

    @Test("address helpers")
    func addressHelpers() throws {
        #expect(try #require(SocketAddressSpec.parse("0.0.0.0:1")).isWildcard)
        #expect(try #require(SocketAddressSpec.parse("[::]:1")).isWildcard)
        #expect(!(try #require(SocketAddressSpec.parse("[::1]:1")).isWildcard))
        #expect(try #require(SocketAddressSpec.parse("10.0.0.1:1")).isIPv4Literal)
        #expect(!(try #require(SocketAddressSpec.parse("localhost:1")).isIPv4Literal))
    }

    @Test(
        "host matches",
        arguments: [
            ("api.example.com", "api.example.com", true),
            ("api.example.com", "API.Example.COM", true),
            ("api.example.com", "api.example.com:8443", true),
            ("api.example.com", "api.example.com.", true),
            ("api.example.com", "api.example.co", false),
            ("api.example.com", "xapi.example.com", false),
            ("*.example.com", "a.example.com", true),
            ("*.example.com", "a.b.EXAMPLE.com:80", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", ".example.com", false),
            ("*.example.com", "badexample.com", false),
            ("*.example.com.", "a.example.com", true),
            ("*.example.com.", "a.example.com.:443", true),
            ("*", "anything:1", true),
            ("[::1]", "[::1]:8080", true),
            ("10.0.0.1", "10.0.0.1:80", true),
        ]
    )
    func hostMatch(pattern: String, host: String, expected: Bool) throws {
        let routes = "routes: [{cluster: c, match: {host: \"\(pattern)\"}}]"
        let yaml = baseYAML.split(separator: "\n").map { $0.hasPrefix("routes:") ? Substring(routes) : $0 }
            .joined(separator: "\n")
        let config = try #require(loadValid(yaml))
        let match = config.routes[0].match.host
        let result = Array(host.utf8).withUnsafeBytes { match.matches(host: $0) }
        #expect(result == expected)
    }

    @Test("path prefix matches bytes")
    func pathMatch() {
        let match = RouteMatch(pathPrefix: "/api/")
        func check(_ path: String) -> Bool { Array(path.utf8).withUnsafeBytes { match.matches(path: $0) } }
        #expect(check("/api/users"))
        #expect(check("/api/"))
        #expect(!check("/api"))
        #expect(!check("/API/users"))
        #expect(RouteMatch().matches(path: UnsafeRawBufferPointer(start: nil, count: 0)) == false)
        #expect(Array("/".utf8).withUnsafeBytes { RouteMatch().matches(path: $0) })
    }

    @Test("header names are stored lowercase")
    func headerLowercase() throws {
        let config = try #require(
            loadValid(
                baseYAML + """
                    context:
                      correlation: {header: X-Trace-Ref, aliases: [X-Request-ID, X-Amzn-Trace-Id]}
                      debug: {redact_headers: [Authorization, X-API-Key]}
                      baggage: {redact_key_patterns: [PIN]}
                    """
            )
        )
        #expect(config.context.correlation.header == "x-trace-ref")
        #expect(config.context.correlation.aliases == ["x-request-id", "x-amzn-trace-id"])
        #expect(config.context.debug.redactHeaders == ["authorization", "x-api-key"])
        #expect(config.context.baggage.redactKeyPatterns == ["pin"])
    }

    @Test("YAML 1.1 booleans and aliases are accepted")
    func yamlFeatures() throws {
        let config = try #require(
            loadValid(
                """
                listeners: [{address: "127.0.0.1:8080", trusted_cidrs: &nets ["10.0.0.0/8"]},
                            {address: "127.0.0.1:8081", trusted_cidrs: *nets}]
                routes: [{cluster: c}]
                clusters: [{name: c, endpoints: ["127.0.0.1:9000"]}]
                access_log: {enabled: no}
                """
            )
        )
        #expect(config.accessLog.enabled == false)
        #expect(config.listeners[1].trustedCIDRs.map(\.description) == ["10.0.0.0/8"])
        #expect(config.listeners.map(\.name) == ["listener-0", "listener-1"])
    }
}
