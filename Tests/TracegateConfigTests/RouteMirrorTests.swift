// RouteMirrorTests.swift — `routes[i].mirror` and its references to clusters.

import Testing
import TracegateConfig
import TracegateResilience

@Suite("Route mirror")
struct RouteMirrorTests {
    /// A route to `api` mirroring with `mirror`, and the clusters `api`, `staging` (http1) and
    /// `grpc` (`protocol` as given).
    func yaml(_ mirror: String, grpcProtocol: String = "h2c") -> String {
        """
        listeners: [{address: "127.0.0.1:8080"}]
        routes: [{name: api, cluster: api, mirror: \(mirror)}]
        clusters:
          - {name: api, endpoints: ["127.0.0.1:9000"]}
          - {name: staging, endpoints: ["127.0.0.1:9100"]}
          - {name: grpc, endpoints: ["127.0.0.1:9200"], protocol: \(grpcProtocol)}

        """
    }

    func loadMirror(_ mirror: String, sourceLocation: SourceLocation = #_sourceLocation) -> MirrorConfiguration? {
        loadValid(yaml(mirror), sourceLocation: sourceLocation)?.routes.first?.mirror
    }

    @Test("the defaults: every trace and method, -shadow, 64KiB, 64 in flight, 5s, statuses")
    func defaults() throws {
        let mirror = try #require(loadMirror("{cluster: staging}"))
        #expect(mirror.cluster == "staging")
        #expect(mirror.selector == (try MirrorSelector(fraction: 1)))
        #expect(mirror.hostSuffix == "-shadow")
        #expect(mirror.methods == [])
        #expect(mirror.maxBody == 65_536)
        #expect(mirror.maxInFlight == 64)
        #expect(mirror.timeout == .seconds(5))
        #expect(mirror.compare == .status)
        #expect(mirror == MirrorConfiguration(cluster: "staging", selector: try MirrorSelector(fraction: 1)))
    }

    @Test("every key is read; methods in any case are held in upper case")
    func everyKey() throws {
        let mirror = try #require(
            loadMirror(
                """
                {cluster: staging, fraction: 0.1, host_suffix: ".shadow_1", methods: [get, Post, DELETE],
                 max_body: 1MiB, max_in_flight: 8, timeout: 250ms, compare: body}
                """
            )
        )
        #expect(
            mirror
                == MirrorConfiguration(
                    cluster: "staging",
                    selector: try MirrorSelector(fraction: 0.1),
                    hostSuffix: ".shadow_1",
                    methods: [.get, .post, .delete],
                    maxBody: 1_048_576,
                    maxInFlight: 8,
                    timeout: .milliseconds(250),
                    compare: .body
                )
        )
    }

    @Test("an empty host suffix, no body and a zero fraction are allowed")
    func edges() throws {
        let mirror = try #require(loadMirror("{cluster: staging, host_suffix: \"\", max_body: 0, fraction: 0}"))
        #expect(mirror.hostSuffix == "")
        #expect(mirror.maxBody == 0)
        #expect(mirror.selector.threshold == 0)
        let http1TLS = yaml("{cluster: grpc}", grpcProtocol: "http1, tls: {verify: false}")
        #expect(loadValid(http1TLS)?.routes.first?.mirror?.cluster == "grpc")
    }

    @Test(
        "errors name the key path",
        arguments: [
            ("{fraction: 0.5}", "routes[0].mirror.cluster: required key is missing"),
            ("{cluster: \"\"}", "routes[0].mirror.cluster: must not be empty"),
            ("{cluster: staging, fraction: 1.5}", "routes[0].mirror.fraction: must be in 0.0...1.0, got 1.5"),
            ("{cluster: staging, fraction: -0.1}", "routes[0].mirror.fraction: must be in 0.0...1.0, got -0.1"),
            ("{cluster: staging, fraction: all}", "routes[0].mirror.fraction: expected a number"),
            (
                "{cluster: staging, host_suffix: \"-shadow:81\"}",
                "routes[0].mirror.host_suffix: may contain only letters, digits, \"-\", \".\" and \"_\" (got \"-shadow:81\")"
            ),
            (
                "{cluster: staging, host_suffix: \" x\"}",
                "routes[0].mirror.host_suffix: may contain only letters, digits, \"-\", \".\" and \"_\" (got \" x\")"
            ),
            (
                "{cluster: staging, methods: [GET, CONNECT]}",
                "routes[0].mirror.methods[1]: expected one of GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH; got \"CONNECT\""
            ),
            (
                "{cluster: staging, methods: [PSOT]}",
                "routes[0].mirror.methods[0]: expected one of GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH; "
                    + "got \"PSOT\" (did you mean \"POST\"?)"
            ),
            ("{cluster: staging, methods: [get, GET]}", "routes[0].mirror.methods[1]: duplicate method \"GET\""),
            (
                "{cluster: staging, methods: []}",
                "routes[0].mirror.methods: must list at least one method (omit methods to mirror every method)"
            ),
            ("{cluster: staging, methods: GET}", "routes[0].mirror.methods: expected a list"),
            (
                "{cluster: staging, max_body: 32MiB}",
                "routes[0].mirror.max_body: must be between 0 and 16MiB (got 32MiB)"
            ),
            (
                "{cluster: staging, max_in_flight: 0}",
                "routes[0].mirror.max_in_flight: must be between 1 and 65535 (got 0)"
            ),
            (
                "{cluster: staging, max_in_flight: 70000}",
                "routes[0].mirror.max_in_flight: must be between 1 and 65535 (got 70000)"
            ),
            ("{cluster: staging, timeout: 0s}", "routes[0].mirror.timeout: must be greater than 0"),
            ("{cluster: staging, timeout: 2h}", "routes[0].mirror.timeout: must be at most 1h (got 2h)"),
            (
                "{cluster: staging, compare: headers}",
                "routes[0].mirror.compare: expected one of status, body; got \"headers\""
            ),
            (
                "{cluster: staging, fracton: 0.5}",
                "routes[0].mirror.fracton: unknown key \"fracton\" (did you mean \"fraction\"?)"
            ),
            ("staging", "routes[0].mirror: expected a mapping"),
        ]
    )
    func errors(mirror: String, expected: String) {
        #expect(loadErrors(yaml(mirror)) == [expected])
    }

    @Test(
        "the mirror cluster must exist, differ from the route's and speak http1",
        arguments: [
            (
                "{cluster: stagign}", "h2c",
                "routes[0].mirror.cluster: unknown cluster \"stagign\" (did you mean \"staging\"?)"
            ),
            (
                "{cluster: api}", "h2c",
                "routes[0].mirror.cluster: \"api\" is the route's own cluster; mirror to a different cluster"
            ),
            (
                "{cluster: grpc}", "h2c",
                "routes[0].mirror.cluster: cluster \"grpc\" has protocol h2c; a mirror cluster must use protocol http1 "
                    + "(with or without tls)"
            ),
            (
                "{cluster: grpc}", "h2",
                "routes[0].mirror.cluster: cluster \"grpc\" has protocol h2; a mirror cluster must use protocol http1 "
                    + "(with or without tls)"
            ),
            (
                "{cluster: grpc}", "auto",
                "routes[0].mirror.cluster: cluster \"grpc\" has protocol auto; a mirror cluster must use protocol http1 "
                    + "(with or without tls)"
            ),
        ]
    )
    func crossChecks(mirror: String, grpcProtocol: String, expected: String) {
        #expect(loadErrors(yaml(mirror, grpcProtocol: grpcProtocol)) == [expected])
    }

    @Test("every bad key of one mirror is reported together")
    func allErrors() {
        #expect(
            loadErrors(yaml("{cluster: staging, fraction: 2, max_in_flight: 0, compare: bytes}")) == [
                "routes[0].mirror.fraction: must be in 0.0...1.0, got 2.0",
                "routes[0].mirror.max_in_flight: must be between 1 and 65535 (got 0)",
                "routes[0].mirror.compare: expected one of status, body; got \"bytes\"",
            ]
        )
    }
}
