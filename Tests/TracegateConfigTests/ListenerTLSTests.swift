// ListenerTLSTests.swift — `listeners[].tls` and `listeners[].http2`.

import Foundation
import Testing
import TracegateConfig

@Suite("Listener TLS and HTTP/2")
struct ListenerTLSTests {
    let files: TemporaryDirectory

    init() throws {
        files = try TemporaryDirectory()
        for name in ["edge.pem", "edge.key", "api.pem", "api.key", "www.pem", "www.key"] {
            try files.write(name)
        }
    }

    /// `baseYAML` with its listener replaced by one with `listener` spliced into its mapping.
    func yaml(_ listener: String) -> String {
        baseYAML.replacingOccurrences(
            of: "listeners: [{address: \"127.0.0.1:8080\"}]",
            with: "listeners: [{address: \"127.0.0.1:8080\", \(listener)}]"
        )
    }

    let minimalTLS = "tls: {certificate_chain: edge.pem, private_key: edge.key}"

    @Test("a listener without tls is cleartext and serves HTTP/2 by prior knowledge")
    func defaults() throws {
        let listener = try #require(loadValid(baseYAML)?.listeners.first)
        #expect(listener.tls == nil)
        #expect(listener.http2)
        #expect(listener == ListenerConfiguration(name: "listener-0", address: listener.address))
    }

    @Test("tls with only the required keys gets every default; relative paths use the base directory")
    func tlsDefaults() throws {
        let config = try #require(loadValid(yaml(minimalTLS), baseDirectory: files.path))
        let tls = try #require(config.listeners[0].tls)
        #expect(
            tls.certificate
                == CertificateFiles(certificateChain: files.path + "/edge.pem", privateKey: files.path + "/edge.key")
        )
        #expect(tls.alpn == [.h2, .http11])
        #expect(tls.minVersion == .tls12)
        #expect(tls.sessionTickets)
        #expect(tls.sni == [])
        #expect(tls == ListenerTLSConfiguration(certificate: tls.certificate))
        #expect(config.listeners[0].http2)
    }

    @Test("every tls key is read")
    func everyKey() throws {
        let text = """
            listeners:
              - address: "127.0.0.1:8443"
                http2: true
                tls:
                  certificate_chain: \(files.path)/edge.pem
                  private_key: edge.key
                  alpn: [http/1.1, h2]
                  min_version: "1.3"
                  session_tickets: false
                  sni:
                    - server_names: [API.example.com, "*.api.example.com."]
                      certificate_chain: api.pem
                      private_key: api.key
                    - server_names: [www.example.com]
                      certificate_chain: www.pem
                      private_key: www.key
            routes: [{cluster: c}]
            clusters: [{name: c, endpoints: ["127.0.0.1:9000"]}]
            """
        let tls = try #require(loadValid(text, baseDirectory: files.path)?.listeners[0].tls)
        #expect(tls.certificate.certificateChain == files.path + "/edge.pem")
        #expect(tls.certificate.privateKey == files.path + "/edge.key")
        #expect(tls.alpn == [.http11, .h2])
        #expect(tls.minVersion == .tls13)
        #expect(!tls.sessionTickets)
        #expect(
            tls.sni == [
                SNICertificateConfiguration(
                    serverNames: [.exact("api.example.com"), .suffix(".api.example.com")],
                    certificate: CertificateFiles(
                        certificateChain: files.path + "/api.pem",
                        privateKey: files.path + "/api.key"
                    )
                ),
                SNICertificateConfiguration(
                    serverNames: [.exact("www.example.com")],
                    certificate: CertificateFiles(
                        certificateChain: files.path + "/www.pem",
                        privateKey: files.path + "/www.key"
                    )
                ),
            ]
        )
    }

    @Test("min_version may be written as a YAML number", arguments: [("1.2", TLSVersion.tls12), ("1.3", .tls13)])
    func unquotedVersion(text: String, version: TLSVersion) throws {
        let snippet = "tls: {certificate_chain: edge.pem, private_key: edge.key, min_version: \(text)}"
        #expect(loadValid(yaml(snippet), baseDirectory: files.path)?.listeners[0].tls?.minVersion == version)
    }

    @Test("ALPN identifiers are the registered wire names")
    func alpnNames() {
        #expect(ALPNProtocol.allCases.map(\.rawValue) == ["h2", "http/1.1"])
        #expect(TLSVersion.allCases.map(\.rawValue) == ["1.2", "1.3"])
    }

    @Test("http2: false makes the default ALPN http/1.1 only")
    func http2Off() throws {
        let config = try #require(loadValid(yaml("http2: false, " + minimalTLS), baseDirectory: files.path))
        #expect(!config.listeners[0].http2)
        #expect(config.listeners[0].tls?.alpn == [.http11])
        let cleartext = try #require(loadValid(yaml("http2: false")))
        #expect(!cleartext.listeners[0].http2)
        #expect(cleartext.listeners[0].tls == nil)
    }

    @Test("http2: true with ALPN http/1.1 only is allowed (TLS clients then get HTTP/1.1)")
    func alpnWithoutH2() throws {
        let snippet = "tls: {certificate_chain: edge.pem, private_key: edge.key, alpn: [http/1.1]}"
        let listener = try #require(loadValid(yaml(snippet), baseDirectory: files.path)?.listeners[0])
        #expect(listener.http2)
        #expect(listener.tls?.alpn == [.http11])
    }

    @Test(
        "listener TLS errors",
        arguments: [
            ("tls: yes", "listeners[0].tls: expected a mapping"),
            ("tls: {certificate_chain: edge.pem}", "listeners[0].tls.private_key: required key is missing"),
            ("tls: {private_key: edge.key}", "listeners[0].tls.certificate_chain: required key is missing"),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, min_versoin: \"1.3\"}",
                "listeners[0].tls.min_versoin: unknown key \"min_versoin\" (did you mean \"min_version\"?)"
            ),
            ("htpp2: false", "listeners[0].htpp2: unknown key \"htpp2\" (did you mean \"http2\"?)"),
            ("http2: sometimes", "listeners[0].http2: expected true or false"),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, alpn: []}",
                "listeners[0].tls.alpn: must list at least one protocol"
            ),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, alpn: h2}",
                "listeners[0].tls.alpn: expected a list"
            ),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, alpn: [h2, http/1.1, h2]}",
                "listeners[0].tls.alpn[2]: duplicate protocol \"h2\""
            ),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, alpn: [h3]}",
                "listeners[0].tls.alpn[0]: expected one of h2, http/1.1; got \"h3\" (did you mean \"h2\"?)"
            ),
            (
                "http2: false, tls: {certificate_chain: edge.pem, private_key: edge.key, alpn: [h2, http/1.1]}",
                "listeners[0].tls.alpn: lists h2 but http2 is false (remove h2, or set http2: true)"
            ),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, min_version: \"1.1\"}",
                "listeners[0].tls.min_version: expected one of 1.2, 1.3; got \"1.1\" (did you mean \"1.2\"?)"
            ),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, session_tickets: 1}",
                "listeners[0].tls.session_tickets: expected true or false"
            ),
            (
                "tls: {certificate_chain: edge.pem, private_key: edge.key, sni: {server_names: [a.example]}}",
                "listeners[0].tls.sni: expected a list"
            ),
        ]
    )
    func errors(listener: String, expected: String) {
        #expect(loadErrors(yaml(listener), baseDirectory: files.path) == [expected])
    }

    @Test("a misspelt required key is reported as unknown and as missing")
    func misspeltRequiredKey() {
        #expect(
            loadErrors(yaml("tls: {certificate_chain: edge.pem, private_kye: edge.key}"), baseDirectory: files.path)
                == [
                    "listeners[0].tls.private_key: required key is missing",
                    "listeners[0].tls.private_kye: unknown key \"private_kye\" (did you mean \"private_key\"?)",
                ]
        )
    }

    @Test("a certificate or key that cannot be read names the key path and the resolved file")
    func unreadableFiles() throws {
        let missing = yaml("tls: {certificate_chain: edge.pem, private_key: keys/missing.key}")
        #expect(
            loadErrors(missing, baseDirectory: files.path) == [
                "listeners[0].tls.private_key: cannot read \"\(files.path)/keys/missing.key\": No such file or directory"
            ]
        )
        let absolute = yaml("tls: {certificate_chain: /nonexistent/x/edge.pem, private_key: edge.key}")
        #expect(
            loadErrors(absolute, baseDirectory: files.path) == [
                "listeners[0].tls.certificate_chain: cannot read \"/nonexistent/x/edge.pem\": No such file or directory"
            ]
        )
        let directory = yaml("tls: {certificate_chain: \(files.path), private_key: edge.key}")
        #expect(
            loadErrors(directory, baseDirectory: files.path) == [
                "listeners[0].tls.certificate_chain: cannot read \"\(files.path)\": Is a directory"
            ]
        )
        let empty = yaml("tls: {certificate_chain: \"\", private_key: edge.key}")
        #expect(
            loadErrors(empty, baseDirectory: files.path) == ["listeners[0].tls.certificate_chain: must not be empty"]
        )
    }

    @Test("without a base directory relative paths stay as written")
    func relativeWithoutBase() {
        let text = yaml("tls: {certificate_chain: tracegate-no-such-dir/edge.pem, private_key: \(files.path)/edge.key}")
        #expect(
            loadErrors(text) == [
                "listeners[0].tls.certificate_chain: cannot read \"tracegate-no-such-dir/edge.pem\": No such file or directory"
            ]
        )
    }

    @Test("load(contentsOf:) resolves relative paths against the file's directory")
    func relativeToConfigFile() throws {
        try files.write("conf/tls/edge.pem")
        try files.write("conf/tls/edge.key")
        let path = try files.write(
            "conf/tracegate.yaml",
            yaml("tls: {certificate_chain: tls/edge.pem, private_key: tls/edge.key}")
        )
        let config = try TracegateConfiguration.load(contentsOf: path)
        #expect(config.listeners[0].tls?.certificate.certificateChain == files.path + "/conf/tls/edge.pem")
        #expect(config.listeners[0].tls?.certificate.privateKey == files.path + "/conf/tls/edge.key")
    }

    @Test(
        "SNI entry errors",
        arguments: [
            (
                "[{server_names: [\"*\"], certificate_chain: api.pem, private_key: api.key}]",
                [
                    "listeners[0].tls.sni[0].server_names[0]: \"*\" is not a server name: the listener's certificate_chain already serves names no sni entry matches"
                ]
            ),
            (
                "[{server_names: [10.0.0.1], certificate_chain: api.pem, private_key: api.key}]",
                [
                    "listeners[0].tls.sni[0].server_names[0]: \"10.0.0.1\" is an IP address: TLS SNI carries DNS names only (RFC 6066 §3)"
                ]
            ),
            (
                "[{server_names: [\"[::1]\"], certificate_chain: api.pem, private_key: api.key}]",
                [
                    "listeners[0].tls.sni[0].server_names[0]: \"[::1]\" is an IP address: TLS SNI carries DNS names only (RFC 6066 §3)"
                ]
            ),
            (
                "[{server_names: [\"a.*.example\"], certificate_chain: api.pem, private_key: api.key}]",
                [
                    "listeners[0].tls.sni[0].server_names[0]: invalid host \"a.*.example\": \"*\" is only allowed as a leading \"*.\""
                ]
            ),
            (
                "[{server_names: [], certificate_chain: api.pem, private_key: api.key}]",
                ["listeners[0].tls.sni[0].server_names: at least one server name is required"]
            ),
            (
                "[{certificate_chain: api.pem, private_key: api.key}]",
                ["listeners[0].tls.sni[0].server_names: required key is missing"]
            ),
            (
                "[{server_names: [a.example], certificate_chain: api.pem}]",
                ["listeners[0].tls.sni[0].private_key: required key is missing"]
            ),
            (
                "[{server_names: [a.example], certificate_chain: api.pem, private_key: nope.key}]",
                ["listeners[0].tls.sni[0].private_key: cannot read \"<dir>/nope.key\": No such file or directory"]
            ),
            (
                "[{server_name: [a.example], certificate_chain: api.pem, private_key: api.key}]",
                [
                    "listeners[0].tls.sni[0].server_names: required key is missing",
                    "listeners[0].tls.sni[0].server_name: unknown key \"server_name\" (did you mean \"server_names\"?)",
                ]
            ),
            (
                "[{server_names: [a.example, b.example], certificate_chain: api.pem, private_key: api.key},"
                    + " {server_names: [c.example, B.Example.], certificate_chain: www.pem, private_key: www.key}]",
                [
                    "listeners[0].tls.sni[1].server_names[1]: duplicate server name \"b.example\" (first used by listeners[0].tls.sni[0].server_names[1])"
                ]
            ),
        ]
    )
    func sniErrors(sni: String, expected: [String]) {
        let snippet = "tls: {certificate_chain: edge.pem, private_key: edge.key, sni: \(sni)}"
        #expect(
            loadErrors(yaml(snippet), baseDirectory: files.path)
                == expected.map { $0.replacingOccurrences(of: "<dir>", with: files.path) }
        )
    }

    @Test("an SNI entry matches its names like a route host")
    func sniMatching() throws {
        let entry = SNICertificateConfiguration(
            serverNames: [.exact("api.example.com"), .suffix(".cdn.example.com")],
            certificate: CertificateFiles(certificateChain: "a.pem", privateKey: "a.key")
        )
        func matches(_ name: String) -> Bool {
            Array(name.utf8).withUnsafeBytes { entry.matches(serverName: $0) }
        }
        #expect(matches("api.example.com"))
        #expect(matches("API.Example.COM"))
        #expect(matches("api.example.com."))
        #expect(matches("a.cdn.example.com"))
        #expect(matches("a.b.cdn.example.com"))
        #expect(!matches("cdn.example.com"))
        #expect(!matches("www.example.com"))
        #expect(!matches(""))
    }
}
