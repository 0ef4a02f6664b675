// DocumentationTests.swift — docs/CONFIG.md and deploy/examples/full.yaml cover every key.

import Foundation
import Testing
import TracegateResilience

@testable import TracegateConfig

@Suite("Documentation")
struct DocumentationTests {
    /// Every key the decoders accept, by section.
    static let allKeys: [(section: String, keys: [String])] = [
        ("top level", TracegateConfiguration.keys),
        ("admin", AdminConfiguration.keys),
        ("listeners", ListenerConfiguration.keys),
        ("listeners.tls", ListenerTLSConfiguration.keys),
        ("listeners.tls.sni", SNICertificateConfiguration.keys),
        ("routes", RouteConfiguration.keys),
        ("routes.match", RouteConfiguration.matchKeys),
        ("routes.retry", RetryPolicy.keys),
        ("routes.retry.backoff", RetryPolicy.backoffKeys),
        ("routes.mirror", MirrorConfiguration.keys),
        ("routes.fault", FaultInjection.keys),
        ("routes.fault.delay", FaultInjection.delayKeys),
        ("routes.fault.abort", FaultInjection.abortKeys),
        ("clusters", ClusterConfiguration.keys),
        ("clusters.pool", PoolConfiguration.keys),
        ("clusters.tls", UpstreamTLSConfiguration.keys),
        ("clusters.http2", UpstreamHTTP2Configuration.keys),
        ("clusters.retry_budget", RetryBudget.Configuration.keys),
        ("clusters.circuit_breakers", CircuitBreakersConfiguration.keys),
        ("clusters.circuit_breakers.failure_rate", CircuitBreaker.Configuration.keys),
        ("clusters.outlier_detection", OutlierDetector.Configuration.keys),
        ("limits", LimitsConfiguration.keys),
        ("limits.http2", HTTP2LimitsConfiguration.keys),
        ("timeouts", TimeoutsConfiguration.keys),
        ("context", ContextConfiguration.keys),
        ("context.correlation", CorrelationConfiguration.keys),
        ("context.session", SessionConfiguration.keys),
        ("context.baggage", BaggageConfiguration.keys),
        ("context.sanitize", SanitizeConfiguration.keys),
        ("context.debug", DebugConfiguration.keys),
        ("access_log", AccessLogConfiguration.keys),
        ("telemetry", TelemetryConfiguration.keys),
        ("telemetry.otlp", OTLPConfiguration.keys),
    ]

    @Test("docs/CONFIG.md names every key")
    func docsCoverEveryKey() throws {
        let docs = try String(contentsOfFile: packageRoot() + "/docs/CONFIG.md", encoding: .utf8)
        for (section, keys) in Self.allKeys {
            for key in keys {
                let documented = docs.contains("`\(key)`") || docs.contains(".\(key)`") || docs.contains("`\(key).")
                #expect(documented, "\(section).\(key) is not documented")
            }
        }
    }

    @Test("deploy/examples/full.yaml sets every key")
    func fullExampleCoversEveryKey() throws {
        let full = try String(contentsOfFile: packageRoot() + "/deploy/examples/full.yaml", encoding: .utf8)
        for (section, keys) in Self.allKeys {
            for key in keys {
                #expect(full.contains("\(key):"), "\(section).\(key) is missing from full.yaml")
            }
        }
    }
}
