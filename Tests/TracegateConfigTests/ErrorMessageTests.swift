// ErrorMessageTests.swift — the exact text of every kind of configuration error.

import Foundation
import Testing
import TracegateConfig

@Suite("Error messages")
struct ErrorMessageTests {
    @Test(
        "type errors name the expected type",
        arguments: [
            ("workers: \"lots\"\n", "workers: expected an integer"),
            ("workers: 2.5\n", "workers: expected an integer"),
            ("workers: \"4\"\n", "workers: expected an integer"),
            ("workers: null\n", "workers: expected an integer"),
            ("admin: \"127.0.0.1:9901\"\n", "admin: expected a mapping"),
            ("access_log: {enabled: maybe}\n", "access_log.enabled: expected true or false"),
            ("context: {sampling_ratio: half}\n", "context.sampling_ratio: expected a number"),
            ("context: {correlation: {aliases: X-Request-ID}}\n", "context.correlation.aliases: expected a list"),
            ("context: {correlation: {header: [a]}}\n", "context.correlation.header: expected a string"),
            (
                "context: {correlation: {generate: 3}}\n",
                "context.correlation.generate: expected one of trace_id, uuid; got \"3\""
            ),
        ]
    )
    func typeErrors(snippet: String, expected: String) {
        #expect(loadErrors(baseYAML + snippet) == [expected])
    }

    @Test(
        "range errors show the bounds and the value",
        arguments: [
            ("workers: 300\n", "workers: must be between 0 and 256 (got 300)"),
            ("workers: -1\n", "workers: must be between 0 and 256 (got -1)"),
            ("limits: {max_header_bytes: 512}\n", "limits.max_header_bytes: must be between 1KiB and 1MiB (got 512)"),
            ("limits: {max_header_bytes: 2MiB}\n", "limits.max_header_bytes: must be between 1KiB and 1MiB (got 2MiB)"),
            ("limits: {max_header_count: 0}\n", "limits.max_header_count: must be between 1 and 1000 (got 0)"),
            ("limits: {max_uri_length: 8}\n", "limits.max_uri_length: must be between 16 and 64KiB (got 8)"),
            (
                "limits: {max_header_bytes: 4096, max_uri_length: 4096}\n",
                "limits.max_uri_length: must be less than max_header_bytes (4096 >= 4096)"
            ),
            (
                "limits: {max_header_bytes: 2048}\n",
                "limits.max_uri_length: must be less than max_header_bytes (8192 >= 2048)"
            ),
            ("limits: {max_connections: 0}\n", "limits.max_connections: must be between 1 and 1000000 (got 0)"),
            ("context: {sampling_ratio: 1.5}\n", "context.sampling_ratio: must be between 0.0 and 1.0 (got 1.5)"),
            (
                "context: {correlation: {max_length: 2000}}\n",
                "context.correlation.max_length: must be between 1 and 1024 (got 2000)"
            ),
            (
                "context: {correlation: {generate: uuid, max_length: 32}}\n",
                "context.correlation.max_length: must be at least 36 to hold generated uuid ids"
            ),
            (
                "context: {baggage: {max_members: 0}}\n",
                "context.baggage.max_members: must be between 1 and 1024 (got 0)"
            ),
            (
                "context: {debug: {max_per_second: -5}}\n",
                "context.debug.max_per_second: must be between 0 and 100000 (got -5)"
            ),
            ("timeouts: {header_read: 0s}\n", "timeouts.header_read: must be greater than 0"),
            ("timeouts: {upstream_response: 30h}\n", "timeouts.upstream_response: must be at most 24h (got 30h)"),
            ("timeouts: {drain: -3}\n", "timeouts.drain: must not be negative"),
            (
                "context: {session: {idle_expiry: 1000h}}\n",
                "context.session.idle_expiry: must be at most 720h (got 1000h)"
            ),
        ]
    )
    func rangeErrors(snippet: String, expected: String) {
        #expect(loadErrors(baseYAML + snippet) == [expected])
    }

    @Test("drain may be zero")
    func drainZero() throws {
        let config = try #require(loadValid(baseYAML + "timeouts: {drain: 0}\n"))
        #expect(config.timeouts.drain == .zero)
    }

    @Test("max_idle may not exceed max_connections")
    func poolIdle() {
        let yaml = """
            listeners: [{address: "127.0.0.1:8080"}]
            routes: [{cluster: c}]
            clusters:
              - name: c
                endpoints: ["127.0.0.1:9000"]
                pool: {max_connections: 10, max_idle: 20}
            """
        #expect(loadErrors(yaml) == ["clusters[0].pool.max_idle: must not exceed max_connections (20 > 10)"])
        let defaultIdle = yaml.replacingOccurrences(of: ", max_idle: 20", with: "")
        #expect(loadErrors(defaultIdle) == ["clusters[0].pool.max_idle: must not exceed max_connections (128 > 10)"])
    }

    @Test(
        "unknown keys are errors, with a suggestion when close",
        arguments: [
            ("workerz: 2\n", "workerz: unknown key \"workerz\" (did you mean \"workers\"?)"),
            (
                "limits: {max_header_byte: 1024}\n",
                "limits.max_header_byte: unknown key \"max_header_byte\" (did you mean \"max_header_bytes\"?)"
            ),
            ("context: {colour: red}\n", "context.colour: unknown key \"colour\""),
            (
                "access_log: {Enabled: true}\n",
                "access_log.Enabled: unknown key \"Enabled\" (did you mean \"enabled\"?)"
            ),
        ]
    )
    func unknownKeys(snippet: String, expected: String) {
        #expect(loadErrors(baseYAML + snippet) == [expected])
    }

    @Test("a transposition typo deep in a list item is found")
    func unknownKeyInPool() {
        let yaml = """
            listeners: [{address: "127.0.0.1:8080"}]
            routes: [{cluster: a}]
            clusters:
              - name: a
                endpoints: ["127.0.0.1:9000"]
              - name: b
                endpoints: ["127.0.0.1:9001"]
                pool:
                  max_idel: 4
            """
        #expect(
            loadErrors(yaml) == [
                "clusters[1].pool.max_idel: unknown key \"max_idel\" (did you mean \"max_idle\"?)"
            ]
        )
    }

    @Test("an unknown cluster reference names the route and the cluster")
    func unknownCluster() {
        let yaml = """
            listeners: [{address: "127.0.0.1:8080"}]
            routes:
              - {name: a, cluster: payments, match: {path_prefix: /a/}}
              - {name: b, cluster: payments, match: {path_prefix: /b/}}
              - {name: c, cluster: paymnets, match: {path_prefix: /c/}}
            clusters: [{name: payments, endpoints: ["127.0.0.1:9000"]}]
            """
        #expect(loadErrors(yaml) == ["routes[2].cluster: unknown cluster \"paymnets\""])
    }

    @Test("duplicate names are reported at the second use")
    func duplicateNames() {
        let yaml = """
            listeners:
              - {name: public, address: "127.0.0.1:8080"}
              - {name: public, address: "127.0.0.1:8081"}
            routes:
              - {name: r, cluster: c, match: {path_prefix: /x/}}
              - {name: r, cluster: c}
            clusters:
              - {name: c, endpoints: ["127.0.0.1:9000"]}
              - {name: c, endpoints: ["127.0.0.1:9001"]}
            """
        #expect(
            loadErrors(yaml) == [
                "listeners[1].name: duplicate listener name \"public\" (first used by listeners[0])",
                "routes[1].name: duplicate route name \"r\" (first used by routes[0])",
                "clusters[1].name: duplicate cluster name \"c\" (first used by clusters[0])",
            ]
        )
    }

    @Test("default route names are unique by index and may clash with an explicit name")
    func defaultRouteNameClash() {
        let yaml = baseYAML.replacingOccurrences(
            of: "routes: [{cluster: c}]",
            with: "routes: [{name: route-1, cluster: c, match: {path_prefix: /a/}}, {cluster: c}]"
        )
        #expect(loadErrors(yaml) == ["routes[1].name: duplicate route name \"route-1\" (first used by routes[0])"])
    }

    @Test("listener addresses must not collide; port 0 may repeat")
    func listenerAddresses() {
        let yaml = """
            listeners:
              - {name: a, address: "127.0.0.1:8080"}
              - {name: b, address: "127.0.0.1:8080"}
              - {name: c, address: "0.0.0.0:8080"}
              - {name: d, address: "127.0.0.1:0"}
              - {name: e, address: "127.0.0.1:0"}
              - {name: f, address: "[::]:9000"}
              - {name: g, address: "[::1]:9000"}
            routes: [{cluster: x}]
            clusters: [{name: x, endpoints: ["127.0.0.1:9000"]}]
            """
        #expect(
            loadErrors(yaml) == [
                "listeners[1].address: 127.0.0.1:8080 is already used by listeners[0]",
                "listeners[2].address: 0.0.0.0:8080 overlaps 127.0.0.1:8080 of listeners[0]",
                "listeners[6].address: [::1]:9000 overlaps [::]:9000 of listeners[5]",
            ]
        )
    }

    @Test("the admin address may not be a traffic listener's address")
    func adminCollision() {
        #expect(
            loadErrors(baseYAML + "admin: {address: \"127.0.0.1:8080\"}\n") == [
                "admin.address: 127.0.0.1:8080 is already used by listeners[0]"
            ]
        )
    }

    @Test(
        "bad addresses, endpoints and CIDRs",
        arguments: [
            ("listeners: [{address: \"127.0.0.1:70000\"}]", "listeners[0].address: invalid port 70000"),
            ("listeners: [{address: \"127.0.0.1:http\"}]", "listeners[0].address: invalid port \"http\""),
            (
                "listeners: [{address: \"example.com:80\"}]",
                "listeners[0].address: invalid host \"example.com\": expected an IPv4 literal, an [IPv6] literal or localhost"
            ),
            (
                "listeners: [{address: \"::1:80\"}]",
                "listeners[0].address: invalid address \"::1:80\": IPv6 literals must be in brackets, e.g. \"[::1]:8080\""
            ),
            ("listeners: [{address: \"256.0.0.1:80\"}]", "listeners[0].address: invalid IPv4 address \"256.0.0.1\""),
            ("listeners: [{address: \"[::g]:80\"}]", "listeners[0].address: invalid IPv6 literal \"[::g]\""),
            ("listeners: [{address: \"8080\"}]", "listeners[0].address: invalid address \"8080\": expected host:port"),
            ("listeners: [{name: x}]", "listeners[0].address: required key is missing"),
            (
                "listeners: [{address: \"127.0.0.1:8080\", trusted_cidrs: [\"10.0.0.0/33\"]}]",
                "listeners[0].trusted_cidrs[0]: invalid CIDR \"10.0.0.0/33\": prefix length 33 exceeds 32"
            ),
            (
                "listeners: [{address: \"127.0.0.1:8080\", trusted_cidrs: [\"::/129\"]}]",
                "listeners[0].trusted_cidrs[0]: invalid CIDR \"::/129\": prefix length 129 exceeds 128"
            ),
            (
                "listeners: [{address: \"127.0.0.1:8080\", trusted_cidrs: [\"10.0.0/8\"]}]",
                "listeners[0].trusted_cidrs[0]: invalid CIDR \"10.0.0/8\": \"10.0.0\" is not an IPv4 or IPv6 address"
            ),
            (
                "listeners: [{address: \"127.0.0.1:8080\", trusted_cidrs: [\"10.0.0.0/x\"]}]",
                "listeners[0].trusted_cidrs[0]: invalid CIDR \"10.0.0.0/x\": prefix length must be a number"
            ),
        ]
    )
    func badListener(listeners: String, expected: String) {
        let yaml = baseYAML.replacingOccurrences(of: "listeners: [{address: \"127.0.0.1:8080\"}]", with: listeners)
        #expect(loadErrors(yaml) == [expected])
    }

    @Test(
        "bad cluster endpoints",
        arguments: [
            ("[\"127.0.0.1:0\"]", "clusters[0].endpoints[0]: invalid port 0 (must be 1-65535)"),
            ("[\"bad_-host-:80\"]", "clusters[0].endpoints[0]: invalid hostname \"bad_-host-\""),
            ("[]", "clusters[0].endpoints: at least one endpoint is required"),
            ("[\"a.example:80\", \"A.example:80\"]", "clusters[0].endpoints[1]: duplicate endpoint a.example:80"),
        ]
    )
    func badEndpoints(endpoints: String, expected: String) {
        let yaml = baseYAML.replacingOccurrences(of: "[\"127.0.0.1:9000\"]", with: endpoints)
        #expect(loadErrors(yaml) == [expected])
    }

    @Test(
        "bad duration and size syntax",
        arguments: [
            (
                "timeouts: {header_read: 5sec}\n",
                "timeouts.header_read: unknown duration unit \"sec\" in \"5sec\" (use ms, s, m or h)"
            ),
            ("timeouts: {header_read: 1.5}\n", "timeouts.header_read: missing unit in \"1.5\" (use ms, s, m or h)"),
            (
                "timeouts: {header_read: soon}\n",
                "timeouts.header_read: expected a duration such as \"250ms\", \"1.5s\", \"30m\" or an integer number of seconds"
            ),
            (
                "limits: {max_request_body_bytes: 10XB}\n",
                "limits.max_request_body_bytes: unknown size unit \"XB\" in \"10XB\" (use B, KiB, MiB, GiB, KB, MB or GB)"
            ),
            (
                "limits: {max_request_body_bytes: 1.5GiB}\n",
                "limits.max_request_body_bytes: size \"1.5GiB\" must be a whole number (use a smaller unit)"
            ),
            (
                "limits: {max_request_body_bytes: lots}\n",
                "limits.max_request_body_bytes: expected a size such as 65536, \"64KiB\" or \"1GiB\""
            ),
            ("limits: {max_request_body_bytes: -1}\n", "limits.max_request_body_bytes: must not be negative"),
            (
                "limits: {max_request_body_bytes: 99999999999GiB}\n",
                "limits.max_request_body_bytes: size \"99999999999GiB\" is too large"
            ),
        ]
    )
    func badValueSyntax(snippet: String, expected: String) {
        #expect(loadErrors(baseYAML + snippet) == [expected])
    }

    @Test(
        "header names and route matches are validated",
        arguments: [
            (
                "context: {debug: {header: \"X Debug\"}}\n",
                "context.debug.header: invalid header name \"X Debug\": must be an RFC 9110 token (letters, digits, !#$%&'*+-.^_`|~)"
            ),
            (
                "context: {sanitize: {strip_headers: [X-A, x-a]}}\n",
                "context.sanitize.strip_headers[1]: duplicate header name \"x-a\""
            ),
            (
                "context: {sanitize: {strip_prefixes: [\"x:\"]}}\n",
                "context.sanitize.strip_prefixes[0]: invalid header prefix \"x:\": must be an RFC 9110 token (letters, digits, !#$%&'*+-.^_`|~)"
            ),
            (
                "context: {correlation: {aliases: [X-Correlation-ID]}}\n",
                "context.correlation.aliases: must not contain the correlation header \"x-correlation-id\" itself"
            ),
            (
                "context: {session: {header: X-Request-ID}}\n",
                "context.session.header: header \"x-request-id\" is already used by context.correlation.aliases"
            ),
            (
                "context: {session: {cookie: \"a b\"}}\n",
                "context.session.cookie: invalid cookie name \"a b\": must be an RFC 6265 token"
            ),
            (
                "context: {session: {cookie: null, issue: true}}\n",
                "context.session.issue: issuing sessions requires a cookie name in cookie"
            ),
            (
                "context: {baggage: {untrusted_allowed_keys: [\"a=b\"]}}\n",
                "context.baggage.untrusted_allowed_keys[0]: invalid baggage key \"a=b\": must be an RFC 9110 token"
            ),
            ("context: {debug: {secret_file: \"\"}}\n", "context.debug.secret_file: must not be empty"),
        ]
    )
    func badContext(snippet: String, expected: String) {
        #expect(loadErrors(baseYAML + snippet) == [expected])
    }

    @Test(
        "route match errors",
        arguments: [
            ("{cluster: c, match: {path_prefix: api}}", "routes[0].match.path_prefix: must start with \"/\""),
            (
                "{cluster: c, match: {path_prefix: \"/a b\"}}",
                "routes[0].match.path_prefix: invalid path prefix \"/a b\": no spaces, control characters, \"?\" or \"#\""
            ),
            (
                "{cluster: c, match: {host: \"api.example.com:8080\"}}",
                "routes[0].match.host: host \"api.example.com:8080\" must not include a port (ports are ignored when matching)"
            ),
            (
                "{cluster: c, match: {host: \"api.*.com\"}}",
                "routes[0].match.host: invalid host \"api.*.com\": \"*\" is only allowed as a leading \"*.\""
            ),
            ("{cluster: c, match: {hots: a}}", "routes[0].match.hots: unknown key \"hots\" (did you mean \"host\"?)"),
            ("{match: {host: a}}", "routes[0].cluster: required key is missing"),
            ("{cluster: c, timeout: 0ms}", "routes[0].timeout: must be greater than 0"),
        ]
    )
    func badRoute(route: String, expected: String) {
        let yaml = baseYAML.replacingOccurrences(of: "routes: [{cluster: c}]", with: "routes: [\(route)]")
        #expect(loadErrors(yaml) == [expected])
    }

    @Test("a route that repeats an earlier match can never be reached")
    func shadowedRoute() {
        let yaml = baseYAML.replacingOccurrences(
            of: "routes: [{cluster: c}]",
            with: "routes: [{cluster: c}, {cluster: c, match: {path_prefix: /}}]"
        )
        #expect(
            loadErrors(yaml) == [
                "routes[1].match: same host and path_prefix as routes[0], so this route can never match"
            ]
        )
    }

    @Test(
        "document-level errors",
        arguments: [
            ("", "<root>: the document is empty"),
            ("# only a comment\n", "<root>: the document is empty"),
            ("- a\n- b\n", "<root>: expected a mapping"),
            ("just text\n", "<root>: expected a mapping"),
            (
                "workers: [1\n",
                "<yaml>: line 2, column 1: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 10)"
            ),
            ("workers: 1\nworkers: 2\n", "<yaml>: line 1, column 1: duplicate key \"workers\""),
        ]
    )
    func documentErrors(yaml: String, expected: String) {
        #expect(loadErrors(yaml) == [expected])
    }

    @Test("missing and empty required sections")
    func requiredSections() {
        #expect(
            loadErrors("workers: 1\n") == [
                "listeners: required key is missing",
                "clusters: required key is missing",
                "routes: required key is missing",
            ]
        )
        #expect(
            loadErrors("listeners: []\nroutes: []\nclusters: []\n") == [
                "listeners: at least one listener is required",
                "routes: at least one route is required",
                "clusters: at least one cluster is required",
            ]
        )
    }

    @Test("many errors are reported together, in document order")
    func documentOrder() {
        let yaml = """
            workers: lots
            routes:
              - name: api
                cluster: paymnets
                timeout: 5 parsecs
            listeners:
              - address: "127.0.0.1:70000"
                trusted_cidrs: ["300.0.0.0/8"]
            clusters:
              - name: payments
                endpoints: ["127.0.0.1:9000"]
                pool: {max_idel: 3}
            limits:
              max_header_count: 0
            """
        #expect(
            loadErrors(yaml) == [
                "workers: expected an integer",
                "routes[0].cluster: unknown cluster \"paymnets\"",
                "routes[0].timeout: unknown duration unit \"parsecs\" in \"5 parsecs\" (use ms, s, m or h)",
                "listeners[0].address: invalid port 70000",
                "listeners[0].trusted_cidrs[0]: invalid CIDR \"300.0.0.0/8\": \"300.0.0.0\" is not an IPv4 or IPv6 address",
                "clusters[0].pool.max_idel: unknown key \"max_idel\" (did you mean \"max_idle\"?)",
                "limits.max_header_count: must be between 1 and 1000 (got 0)",
            ]
        )
    }

    @Test("ConfigErrors prints one error per line")
    func errorsDescription() {
        let errors = ConfigErrors(errors: [
            ConfigError(keyPath: "workers", reason: "expected an integer"),
            ConfigError(keyPath: "routes[2].cluster", reason: "unknown cluster \"paymnets\""),
        ])
        #expect(errors.description == "workers: expected an integer\nroutes[2].cluster: unknown cluster \"paymnets\"")
    }

    @Test("file errors use the <file> key path")
    func fileErrors() {
        func errors(_ path: String) -> [ConfigError] {
            do {
                _ = try TracegateConfiguration.load(contentsOf: path)
                return []
            } catch {
                return error.errors
            }
        }
        #expect(
            errors("/nonexistent/tracegate.yaml") == [
                ConfigError(keyPath: "<file>", reason: "cannot read \"/nonexistent/tracegate.yaml\": no such file")
            ]
        )
        #expect(
            errors(packageRoot() + "/deploy") == [
                ConfigError(keyPath: "<file>", reason: "cannot read \"\(packageRoot())/deploy\": is a directory")
            ]
        )
    }
}
