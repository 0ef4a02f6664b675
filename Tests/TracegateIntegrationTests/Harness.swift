// Harness: one upstream fixture plus one tracegate process, started per test on port 0, and the
// YAML configs the integration tests share.
import Foundation
import Testing
import TracegateTestSupport

/// The parent of every integration suite. `.serialized` is recursive: every test in every nested
/// suite runs alone, so timing-sensitive tests (300 ms timeouts, drains, RSS readings) never share
/// the two cores of the test machine with a 1 GiB transfer.
@Suite(.serialized) enum Integration {}

/// A fixture and a proxy in front of it. Always `defer { harness.stop() }`.
final class Harness {
    let upstream: UpstreamFixture
    let proxy: ProxyProcess

    private init(upstream: UpstreamFixture, proxy: ProxyProcess) {
        self.upstream = upstream
        self.proxy = proxy
    }

    /// Starts `handler` as the upstream, then the proxy with `config(upstream.address)`.
    static func start(
        _ handler: @escaping @Sendable (FixtureRequest) -> FixtureResponse = UpstreamFixture.echo,
        config: (String) -> String = { Configs.standard(backend: $0) }
    ) throws -> Harness {
        let upstream = try UpstreamFixture.start(handler)
        do {
            let proxy = try ProxyProcess.start(config: config(upstream.address))
            return Harness(upstream: upstream, proxy: proxy)
        } catch {
            upstream.stop()
            throw error
        }
    }

    /// Stops the proxy (SIGTERM, then SIGKILL) and the fixture.
    func stop() {
        proxy.stop()
        upstream.stop()
    }

    /// Port of the trusted listener `public`.
    var port: Int { (try? proxy.port("public")) ?? 0 }
    /// Port of the untrusted listener `outside` (trusts only 10.0.0.0/8).
    var outsidePort: Int { (try? proxy.port("outside")) ?? 0 }

    /// `http://127.0.0.1:PORT<path>` on the listener `listener`.
    func url(_ path: String, listener: String = "public") -> String {
        "http://127.0.0.1:\((try? proxy.port(listener)) ?? 0)\(path)"
    }

    /// The last request the upstream recorded.
    var lastRequest: FixtureRequest? { upstream.requests.last }
}

/// The YAML configs of the tests. Every config binds port 0 and `admin` on 127.0.0.1:0.
enum Configs {
    /// Two listeners (`public` trusts loopback, `outside` trusts only 10.0.0.0/8, so a loopback
    /// client is untrusted there), one catch-all route to `backend`. `extra` is appended as
    /// top-level YAML (`context:`, `limits:`, `timeouts:` …); `outside` gets `outsideExtra` keys.
    static func standard(backend: String, extra: String = "", outsideExtra: String = "", workers: Int = 1) -> String {
        """
        workers: \(workers)
        admin: { address: "127.0.0.1:0" }
        listeners:
          - { name: public, address: "127.0.0.1:0" }
          - { name: outside, address: "127.0.0.1:0", trusted_cidrs: ["10.0.0.0/8"]\(outsideExtra) }
        routes:
          - { name: default, match: { path_prefix: "/" }, cluster: backend }
        clusters:
          - { name: backend, endpoints: ["\(backend)"] }
        \(extra)
        """
    }
}

/// Small helpers shared by the suites.
enum Wire {
    /// Sends one request on a fresh connection and reads one response.
    static func exchange(port: Int, _ request: String, timeout: Duration = .seconds(10), head: Bool = false) throws -> RawResponse? {
        let client = try RawHTTPClient.connect(port: port)
        defer { client.close() }
        #expect(client.send(request))
        return client.readResponse(timeout: timeout, requestWasHead: head)
    }

    /// A GET with `headers` (each "Name: value") on a fresh connection.
    static func get(port: Int, _ path: String, headers: [String] = []) throws -> RawResponse? {
        let lines = (["GET \(path) HTTP/1.1", "Host: tracegate.test"] + headers).joined(separator: "\r\n")
        return try exchange(port: port, lines + "\r\n\r\n")
    }

    /// The `traceparent` parts: version, trace id, parent id, flags; `nil` unless 4 dash parts.
    static func traceparent(_ value: String?) -> (version: String, traceID: String, parentID: String, flags: String)? {
        guard let parts = value?.split(separator: "-", omittingEmptySubsequences: false), parts.count == 4 else { return nil }
        return (String(parts[0]), String(parts[1]), String(parts[2]), String(parts[3]))
    }

    /// Whether `text` is `count` lowercase hex digits, not all zero.
    static func isLowerHex(_ text: String, count: Int) -> Bool {
        text.count == count && text.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
            && text.contains { $0 != "0" }
    }

    /// A JSON object from bytes, or `nil`.
    static func json(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}

/// The admin listener: GET on a fresh connection.
enum Admin {
    static func get(_ proxy: ProxyProcess, _ path: String) throws -> RawResponse? {
        guard let port = proxy.adminPort else {
            Issue.record("the ready line names no admin listener: \(proxy.ready.raw)")
            return nil
        }
        return try Wire.exchange(port: port, "GET \(path) HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n")
    }

    /// `/metrics`, parsed leniently (the strict check is `metricsAreValidPrometheusTextAndCount`).
    static func metrics(_ proxy: ProxyProcess) throws -> PrometheusText {
        guard let response = try get(proxy, "/metrics") else {
            Issue.record("GET /metrics got no response")
            return PrometheusText(samples: [:], families: [:])
        }
        #expect(response.status == 200)
        do {
            return try PrometheusText.parse(response.bodyText, strict: false)
        } catch {
            Issue.record("/metrics is not valid Prometheus text: \(error)\n\(response.bodyText)")
            return PrometheusText(samples: [:], families: [:])
        }
    }

    /// Scrapes `/metrics` until `ready` holds (counters are bumped as an exchange completes, which
    /// can be just after the client read its response) or `timeout` passes; returns the last scrape.
    static func metrics(_ proxy: ProxyProcess, timeout: Duration = .seconds(3), until ready: (PrometheusText) -> Bool) throws -> PrometheusText {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let metrics = try metrics(proxy)
            if ready(metrics) || clock.now >= deadline { return metrics }
            usleep(20_000)
        }
    }

    /// `/debug/requests?<query>` → the `requests` array.
    static func requests(_ proxy: ProxyProcess, query: String) throws -> [[String: Any]] {
        guard let response = try get(proxy, "/debug/requests?\(query)"), response.status == 200,
              let object = response.json, let list = object["requests"] as? [[String: Any]] else {
            Issue.record("/debug/requests?\(query) did not answer {\"requests\":[…]}")
            return []
        }
        return list
    }
}

/// Waiting for the access log, which is written 20-50 ms after the response.
enum AccessLogs {
    /// Polls stdout (bounded) until an access-log entry satisfies `predicate`.
    static func entry(_ proxy: ProxyProcess, timeout: Duration = .seconds(5), where predicate: ([String: Any]) -> Bool) -> [String: Any]? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let found = proxy.accessLogEntries().first(where: predicate) { return found }
            if clock.now >= deadline { return nil }
            _ = proxy.waitForStdoutLines(count: proxy.stdoutLines().count + 1, timeout: .milliseconds(50))
        }
    }

    /// The entry whose `correlation_id` is `id`.
    static func entry(_ proxy: ProxyProcess, correlationID id: String) -> [String: Any]? {
        entry(proxy) { $0["correlation_id"] as? String == id }
    }
}
