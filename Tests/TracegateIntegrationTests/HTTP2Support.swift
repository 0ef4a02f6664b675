// HTTP2Support: configs and checks shared by the HTTP/2 and TLS suites (HTTP2*Tests, TLSTests).
import Foundation
import Testing
import TracegateTestSupport

/// YAML for the HTTP/2 and TLS tests. Every config binds port 0, one worker, admin on 127.0.0.1:0.
enum H2Configs {
    /// One cleartext listener `public` (HTTP/1.1 and h2c prior knowledge, the default
    /// `http2: true`), one catch-all route to cluster `backend` speaking `clusterProtocol`
    /// ("http1", "h2c") to `backend`. `extra` is appended as top-level YAML (`limits:`,
    /// `telemetry:` …).
    static func single(backend: String, clusterProtocol: String = "http1", extra: String = "") -> String {
        """
        workers: 1
        admin: { address: "127.0.0.1:0" }
        listeners:
          - { name: public, address: "127.0.0.1:0" }
        routes:
          - { name: default, match: { path_prefix: "/" }, cluster: backend }
        clusters:
          - { name: backend, protocol: \(clusterProtocol), endpoints: ["\(backend)"] }
        \(extra)
        """
    }

    /// A cleartext listener `public` and a TLS listener `secure` (certificate `chain`/`key`,
    /// `tlsExtra` keys added to its `tls:` mapping), one catch-all route to the HTTP/1.1 `backend`.
    static func tls(backend: String, chain: String, key: String, tlsExtra: String = "", extra: String = "") -> String {
        """
        workers: 1
        admin: { address: "127.0.0.1:0" }
        listeners:
          - { name: public, address: "127.0.0.1:0" }
          - name: secure
            address: "127.0.0.1:0"
            tls: { certificate_chain: "\(chain)", private_key: "\(key)"\(tlsExtra) }
        routes:
          - { name: default, match: { path_prefix: "/" }, cluster: backend }
        clusters:
          - { name: backend, endpoints: ["\(backend)"] }
        \(extra)
        """
    }
}

/// Checks on what real HTTP/2 clients got.
enum H2Checks {
    /// Expects curl to have spoken HTTP/2: `-w %{http_version}` printed "2" (`H2Client.curl`
    /// passes it) and the response head was `HTTP/2`.
    static func expectHTTP2(_ result: CurlResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 0, "curl exit \(result.exitCode): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.writeOut == "2", "negotiated HTTP version: \(result.writeOut)", sourceLocation: sourceLocation)
        #expect(result.version == "HTTP/2", "response head version: \(result.version)", sourceLocation: sourceLocation)
    }

    /// A Tracegate error response as curl received it over HTTP/2: `status`, JSON body
    /// `{"error": code, "status", "message", "correlation_id"}`, the body's correlation id equal to
    /// the `x-correlation-id` header (and to `sentCorrelationID` when the request carried one).
    /// The same contract `ProxyErrors.check` verifies for HTTP/1.1.
    static func expectProxyError(
        _ result: CurlResult, status: Int, code: String, sentCorrelationID: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == status, "\(result.headers) \(result.bodyText)", sourceLocation: sourceLocation)
        #expect(result.header("content-type") == "application/json", sourceLocation: sourceLocation)
        guard let body = result.json else {
            Issue.record("error body is not JSON: \(result.bodyText)", sourceLocation: sourceLocation)
            return
        }
        #expect(body["error"] as? String == code, "\(result.bodyText)", sourceLocation: sourceLocation)
        #expect(body["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(!((body["message"] as? String) ?? "").isEmpty, sourceLocation: sourceLocation)
        let header = result.header("x-correlation-id")
        #expect(!(header ?? "").isEmpty, "no x-correlation-id on a \(code) error: \(result.headers)", sourceLocation: sourceLocation)
        #expect(body["correlation_id"] as? String == header, sourceLocation: sourceLocation)
        if let sentCorrelationID {
            #expect(header == sentCorrelationID, sourceLocation: sourceLocation)
        }
    }

    /// Expects `bytes` to be `FixturePattern` from offset 0, `count` long, naming the first
    /// differing offset otherwise (a 3 MiB `==` failure would print nothing useful).
    static func expectPattern(_ bytes: Data, count: Int, what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(bytes.count == count, "\(what): \(bytes.count) bytes, expected \(count)", sourceLocation: sourceLocation)
        let mismatch = FixturePattern.firstMismatch(in: bytes)
        #expect(mismatch == nil, "\(what) differs from the pattern at offset \(mismatch ?? -1)", sourceLocation: sourceLocation)
    }

    /// A counter from `/metrics` (0 when absent).
    static func counter(_ proxy: ProxyProcess, _ name: String, _ labels: String = "") throws -> Double {
        try Admin.metrics(proxy).value(name, labels) ?? 0
    }

    /// Scrapes until the counter exceeds `baseline` (or 3 s pass) and returns its value.
    static func counter(_ proxy: ProxyProcess, _ name: String, _ labels: String = "", above baseline: Double) throws -> Double {
        try Admin.metrics(proxy) { ($0.value(name, labels) ?? 0) > baseline }.value(name, labels) ?? 0
    }
}

/// Runs blocking work (a client process) on a second thread while the caller does something
/// else: `let other = Concurrently.start { try H2Client.h2load(...) }` … `other.wait()`.
final class Concurrently<Value: Sendable>: Sendable {
    private let group = DispatchGroup()
    private let box = ResultBox<Value>()

    private init() {}

    static func start(_ work: @escaping @Sendable () throws -> Value) -> Concurrently<Value> {
        let job = Concurrently<Value>()
        let box = job.box
        job.group.enter()
        DispatchQueue.global().async { [group = job.group] in
            box.set(Result { try work() })
            group.leave()
        }
        return job
    }

    /// The work's result; throws its error, or `TimedOut` after `timeout`.
    func wait(timeout: Duration = .seconds(120)) throws -> Value {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        guard group.wait(timeout: .now() + seconds) == .success, let result = box.get() else {
            throw TimedOut(after: timeout)
        }
        return try result.get()
    }

    struct TimedOut: Error, CustomStringConvertible {
        var after: Duration
        var description: String { "concurrent work did not finish within \(after)" }
    }
}

/// A lock-protected result slot for `Concurrently`.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    func set(_ value: Result<Value, any Error>) { lock.withLock { result = value } }
    func get() -> Result<Value, any Error>? { lock.withLock { result } }
}
