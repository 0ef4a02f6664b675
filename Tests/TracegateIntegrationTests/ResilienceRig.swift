// ResilienceRig: switchable upstreams, the real proxy in front of them (one worker), and the
// readers the resilience suites share: /metrics, /debug/state, the process log.
import Foundation
import Testing
import TracegateTestSupport

/// Upstreams that fail on command plus a `tracegate` process routing everything to the cluster
/// `api` made of them. Always `defer { rig.stop() }`.
///
/// Why one worker: budgets, thresholds, breakers and detectors are per worker (shared nothing),
/// so with one worker every figure a test asserts is the process's figure.
final class ResilienceRig {
    let upstreams: [SwitchableUpstream]
    let proxy: ProxyProcess
    let receiver: OTLPReceiver?

    private init(upstreams: [SwitchableUpstream], proxy: ProxyProcess, receiver: OTLPReceiver?) {
        self.upstreams = upstreams
        self.proxy = proxy
        self.receiver = receiver
    }

    /// Starts one `SwitchableUpstream` per mode (named a, b, c…), then the proxy with
    /// `config(endpoints)` where `endpoints` lists their addresses followed by `refusing`
    /// addresses where nothing listens. With `otlp`, an OTLP receiver is started first and its
    /// endpoint is passed in `ResilienceYAML.telemetry`-ready form through `receiverEndpoint`.
    static func start(
        _ modes: [SwitchableUpstream.Mode],
        refusing: Int = 0,
        otlp: Bool = false,
        config: (_ endpoints: [String], _ receiverEndpoint: String?) -> String
    ) throws -> ResilienceRig {
        var upstreams: [SwitchableUpstream] = []
        var receiver: OTLPReceiver?
        do {
            if otlp { receiver = try OTLPReceiver.start() }
            for (i, mode) in modes.enumerated() {
                upstreams.append(try SwitchableUpstream.start(String(UnicodeScalar(UInt8(97 + i))), mode: mode))
            }
            var endpoints = upstreams.map(\.address)
            for _ in 0..<refusing { endpoints.append("127.0.0.1:\(try UpstreamFixture.refusingPort())") }
            let proxy = try ProxyProcess.start(config: config(endpoints, receiver?.endpoint))
            return ResilienceRig(upstreams: upstreams, proxy: proxy, receiver: receiver)
        } catch {
            upstreams.forEach { $0.stop() }
            _ = receiver?.stop()
            throw error
        }
    }

    /// Convenience: `start(modes) { endpoints, _ in config(endpoints) }`.
    static func start(_ modes: [SwitchableUpstream.Mode], refusing: Int = 0, config: ([String]) -> String) throws -> ResilienceRig {
        try start(modes, refusing: refusing, otlp: false) { endpoints, _ in config(endpoints) }
    }

    /// Stops the upstreams first: a hung upstream's connections close, so the proxy's drain
    /// does not wait out the route timeout of requests whose clients already left.
    func stop() {
        upstreams.forEach { $0.stop() }
        proxy.stop()
        _ = receiver?.stop()
    }

    var port: Int { (try? proxy.port("public")) ?? 0 }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests every upstream received so far.
    var upstreamTotal: Int { upstreams.reduce(0) { $0 + $1.requestCount } }

    // MARK: Requests

    /// One request on a fresh connection (`Connection: close`), with `headers` and an optional body.
    func send(_ method: String = "GET", _ path: String = "/", headers: [String] = [], body: [UInt8]? = nil,
              timeout: Duration = .seconds(10)) throws -> RawResponse? {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: api.test", "Connection: close"] + headers
        if let body { lines.append("Content-Length: \(body.count)") }
        let client = try RawHTTPClient.connect(port: port)
        defer { client.close() }
        guard client.send(lines.joined(separator: "\r\n") + "\r\n\r\n") else { return nil }
        if let body, !body.isEmpty, !client.send(body) { return nil }
        return client.readResponse(timeout: timeout)
    }

    /// `send`, timed.
    func timedSend(_ method: String = "GET", _ path: String = "/", headers: [String] = [], body: [UInt8]? = nil,
                   timeout: Duration = .seconds(10)) throws -> (response: RawResponse?, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let response = try send(method, path, headers: headers, body: body, timeout: timeout)
        return (response, clock.now - start)
    }

    // MARK: Metrics

    func metrics() throws -> PrometheusText { try Admin.metrics(proxy) }

    /// Scrapes until `ready` holds or 3 s pass (counters are bumped as an exchange ends, which
    /// can be just after the client read its response).
    func metrics(until ready: (PrometheusText) -> Bool) throws -> PrometheusText {
        try Admin.metrics(proxy, timeout: .seconds(3), until: ready)
    }

    /// A sample of cluster `api`: `name{cluster="api",<labels>}`, 0 when absent.
    func value(_ name: String, _ labels: String = "", in scrape: PrometheusText) -> Double {
        scrape.value(name, labels.isEmpty ? "cluster=\"api\"" : "cluster=\"api\",\(labels)") ?? 0
    }

    /// The sum of every `name` sample of cluster `api`, whatever its other labels.
    func total(_ name: String, in scrape: PrometheusText) -> Double {
        scrape.samples.filter { $0.key.hasPrefix(name + "{cluster=\"api\"") }.values.reduce(0, +)
    }

    /// Waits until the `api` sample reaches `atLeast`, then returns it (or the last value seen).
    @discardableResult
    func waitFor(_ name: String, _ labels: String = "", atLeast: Double) throws -> Double {
        let scrape = try metrics { value(name, labels, in: $0) >= atLeast }
        return value(name, labels, in: scrape)
    }

    /// Every sample line of `/metrics` whose family is one of `families`, as printed.
    func metricLines(_ families: [String]) throws -> [String] {
        guard let body = try Admin.get(proxy, "/metrics")?.bodyText else { return [] }
        return body.split(separator: "\n").map(String.init).filter { line in
            !line.hasPrefix("#") && families.contains { line.hasPrefix($0 + "{") || line.hasPrefix($0 + " ") }
        }
    }

    // MARK: /debug/state

    /// The `api` cluster object of `/debug/state`.
    func debugCluster() throws -> [String: Any] {
        let state = try #require(try Admin.get(proxy, "/debug/state")?.json, "/debug/state is not JSON")
        let clusters = try #require(state["clusters"] as? [[String: Any]], "no clusters[] in /debug/state")
        return try #require(clusters.first { $0["name"] as? String == "api" }, "no cluster api in /debug/state")
    }

    /// The `pools[]` entry of `endpoint` in the `api` cluster.
    func debugPool(_ endpoint: String) throws -> [String: Any] {
        let pools = try #require(try debugCluster()["pools"] as? [[String: Any]], "no pools[] for api")
        return try #require(pools.first { $0["endpoint"] as? String == endpoint }, "no pool for \(endpoint): \(pools)")
    }

    // MARK: Process log

    /// Waits for a JSON log line with `event` (and, when given, `endpoint`) at stderr index
    /// `after` or later; returns it parsed.
    func waitForLog(_ event: String, endpoint: String? = nil, after: Int = 0, timeout: Duration = .seconds(5)) -> [String: Any]? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let lines = proxy.stderrLines()
            if after < lines.count {
                for line in lines[after...] {
                    guard let object = Self.jsonObject(line), object["event"] as? String == event else { continue }
                    if let endpoint, object["endpoint"] as? String != endpoint { continue }
                    return object
                }
            }
            if clock.now >= deadline { return nil }
            _ = proxy.waitForStderr(containing: event, timeout: .milliseconds(100), after: max(after, lines.count))
        }
    }

    static func jsonObject(_ line: String) -> [String: Any]? {
        guard line.hasPrefix("{") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// The raw stderr lines whose `event` is one of `events`.
    func logLines(_ events: Set<String>) -> [String] {
        proxy.stderrLines().filter { line in
            guard let event = Self.jsonObject(line)?["event"] as? String else { return false }
            return events.contains(event)
        }
    }
}
