// RunbookScenario: the live system docs/runbook.md is run against: a route over a healthy
// endpoint (with one buggy path) and a dead one, a staging copy that differs on some paths, an
// OTLP collector, an untrusted listener with signed debug tokens, and its logs served over HTTP.
import Foundation
import Synchronization
import TracegateTestSupport

extension Integration.Runbook {
    /// Always `defer { scenario.stop() }`.
    final class Scenario {
        let good: UpstreamFixture
        let bad: UpstreamFixture
        let staging: UpstreamFixture
        let logServer: UpstreamFixture
        let receiver: OTLPReceiver
        let directory: TempDir
        let secretFile: String
        let proxy: ProxyProcess
        private let logSource = LogSource()

        /// The proxy whose stdout the log server serves, set once it has started.
        final class LogSource: Sendable {
            let proxy = Mutex<ProxyProcess?>(nil)
            var lines: [String] { proxy.withLock { $0?.stdoutLines() } ?? [] }
        }

        /// Orders ending in 9 hit a bug of the service (500, one request in ten, spread out so
        /// the healthy endpoint's breaker stays closed); every other order is found.
        static func order(_ request: FixtureRequest) -> FixtureResponse {
            request.path.hasSuffix("9") ? .text("{\"error\":\"boom\"}\n", status: 500)
                : .text("{\"order\":\"\(request.path)\"}\n")
        }

        init() throws {
            directory = try TempDir(prefix: "runbook")
            secretFile = try directory.write("debug.key", "runbook-secret-of-at-least-16-bytes\n")
            good = try UpstreamFixture.start(Self.order)
            bad = try UpstreamFixture.start { _ in .text("{\"error\":\"unavailable\"}\n", status: 503) }
            // Staging runs the suspect change: `/orders/4…` answers a different body.
            staging = try UpstreamFixture.start { request in
                request.path.hasPrefix("/orders/4") ? .text("{\"order\":\"\(request.path)\",\"v\":2}\n") : Self.order(request)
            }
            // `logs` in the runbook: the access log (the proxy's stdout) as a log collector serves it.
            let source = logSource
            logServer = try UpstreamFixture.start { _ in .text(source.lines.map { $0 + "\n" }.joined()) }
            receiver = try OTLPReceiver.start()
            proxy = try ProxyProcess.start(config: Self.config(good: good.address, bad: bad.address, staging: staging.address,
                                                               secretFile: secretFile, otlp: receiver.endpoint))
            source.proxy.withLock { $0 = proxy }
        }

        /// The configuration, with `routeFragment` (a runbook `yaml` block) added to route `api`.
        func config(routeFragment: String = "") -> String {
            Self.config(good: good.address, bad: bad.address, staging: staging.address, secretFile: secretFile,
                        otlp: receiver.endpoint, routeFragment: routeFragment)
        }

        static func config(good: String, bad: String, staging: String, secretFile: String, otlp: String,
                           routeFragment: String = "") -> String {
            let fragment = routeFragment.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            return """
                workers: 1
                admin: { address: "127.0.0.1:0" }
                listeners:
                  - { name: public, address: "127.0.0.1:0", trusted_cidrs: [] }
                context:
                  debug: { secret_file: "\(secretFile)" }
                telemetry:
                  service_name: runbook
                  otlp: { endpoint: "\(otlp)", schedule_delay: 100ms }
                routes:
                  - name: api
                    match: { path_prefix: "/" }
                    cluster: orders
                    retry: { max_attempts: 2, retry_on: [503] }
                \(fragment)
                clusters:
                  - name: orders
                    endpoints: ["\(good)", "\(bad)"]
                    retry_budget: { retry_ratio: 0.1, min_retries_per_second: 1 }
                    circuit_breakers: { failure_rate: { window_size: 10, minimum_calls: 10, open_duration: 60s } }
                    outlier_detection: { consecutive_5xx: 0, consecutive_gateway_failures: 0 }
                  - name: staging
                    endpoints: ["\(staging)"]
                """
        }

        var port: Int { (try? proxy.port("public")) ?? 0 }

        /// What the runbook's shell gets: the instance's addresses, its config file and pid, how
        /// to read its logs, the debug secret, the collector, and `tracegate` on the PATH.
        func shellEnvironment() throws -> [String: String] {
            let binary = try ProxyProcess.locateBinary()
            let inherited = ProcessInfo.processInfo.environment
            return [
                "ADMIN": "http://127.0.0.1:\(proxy.adminPort ?? 0)",
                "TG": "http://127.0.0.1:\(port)",
                "CONFIG": proxy.configPath,
                "TRACEGATE_PID": String(proxy.pid),
                "TRACEGATE_LOGS": "curl -fsS http://\(logServer.address)/",
                "DEBUG_SECRET_FILE": secretFile,
                "OTLP_ENDPOINT": String(receiver.endpoint.dropLast("/v1/traces".count)),
                "PATH": URL(fileURLWithPath: binary).deletingLastPathComponent().path + ":" + (inherited["PATH"] ?? "/usr/bin:/bin"),
                "LANG": "C.UTF-8",
            ]
        }

        func stop() {
            proxy.stop()
            _ = receiver.stop()
            for fixture in [good, bad, staging, logServer] { fixture.stop() }
        }
    }
}
