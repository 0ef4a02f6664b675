// SpanPipeline: from finished-request records to the OTLP exporter, reconfigurable on reload.
import Logging
import Synchronization
import TracegateConfig
import TracegateDataPlane
import TracegateTelemetry

/// The control side's span path: the access-log drain hands it every record; it decides (policy),
/// builds the spans (builder) and queues them on the exporter, which never blocks the drain.
///
/// Why a holder with a lock rather than a `let exporter`: a reload may change the collector, the
/// resource or the export rules; the old exporter is flushed briefly and replaced, and the drain
/// thread picks the new one up on its next record.
final class SpanPipeline: Sendable {
    private struct Current: Sendable {
        var telemetry: TelemetryConfiguration
        var exporter: OTLPExporter?
        var policy: SpanExportPolicy
    }

    private let current: Mutex<Current>
    private let version: String
    private let logger: Logger
    /// Exported and dropped by exporters already replaced, so counters never go backwards.
    private let retired = Mutex(SpanExportStats(exported: 0, dropped: []))

    init(telemetry: TelemetryConfiguration, version: String, logger: Logger) throws(OTLPExporterError) {
        self.version = version
        self.logger = logger
        current = Mutex(Current(telemetry: telemetry, exporter: try Self.makeExporter(telemetry, version: version),
                                policy: Self.policy(telemetry)))
    }

    static func policy(_ t: TelemetryConfiguration) -> SpanExportPolicy {
        SpanExportPolicy(alwaysExportErrors: t.alwaysExportErrors,
                         slowNanos: UInt64(t.slowRequestThreshold.components.seconds) * 1_000_000_000
                             + UInt64(t.slowRequestThreshold.components.attoseconds / 1_000_000_000))
    }

    /// The exporter for `t`, or nil when no endpoint is configured (context still propagates).
    static func makeExporter(_ t: TelemetryConfiguration, version: String) throws(OTLPExporterError) -> OTLPExporter? {
        guard let endpoint = t.otlp.endpoint else { return nil }
        var attributes: [SpanAttribute] = [
            .init("service.name", .string(t.serviceName)),
            .init("service.version", .string(t.serviceVersion ?? version)),
            .init("telemetry.sdk.name", .string("tracegate")),
            .init("telemetry.sdk.language", .string("swift")),
            .init("telemetry.sdk.version", .string(version)),
        ]
        if let env = t.environment { attributes.append(.init("deployment.environment", .string(env))) }
        for (k, v) in t.resourceAttributes.sorted(by: { $0.key < $1.key }) { attributes.append(.init(k, .string(v))) }
        let host: TracegateTelemetry.OTLPEndpoint.Host = endpoint.isIPv6Literal ? .ipv6(endpoint.host)
            : (endpoint.isIPv4Literal ? .ipv4(endpoint.host) : .name(endpoint.host))
        let configuration = OTLPExporterConfiguration(
            endpoint: TracegateTelemetry.OTLPEndpoint(host: host, port: UInt16(endpoint.port), path: endpoint.path),
            resource: TelemetryResource(attributes: attributes, scopeName: "tracegate", scopeVersion: version),
            version: version,
            headers: t.otlp.headers.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) },
            timeout: t.otlp.timeout,
            maxQueueSize: t.otlp.maxQueueSize,
            maxExportBatchSize: t.otlp.maxExportBatchSize,
            scheduleDelay: t.otlp.scheduleDelay)
        return try OTLPExporter(configuration: configuration)
    }

    /// What one drain pass uses for every record: the exporter and rules as of its start, and the
    /// names of the snapshot it runs with. Nil when nothing is exported.
    func sink(snapshot: RuntimeSnapshot?) -> Sink? {
        let (exporter, policy) = current.withLock { ($0.exporter, $0.policy) }
        guard let exporter else { return nil }
        return Sink(exporter: exporter, policy: policy, builder: SpanBuilder(snapshot: snapshot))
    }

    /// Collects the spans of one drain pass into shared buffers and queues them in chunks of up
    /// to `chunkSpans` spans: one buffer, one lock and one copy per chunk instead of per request
    /// (a chunk is kept or dropped whole, so chunks stay well under the queue's capacity).
    struct Sink {
        let exporter: OTLPExporter
        let policy: SpanExportPolicy
        let builder: SpanBuilder
        var writer = SpanBatchWriter(capacity: 64 * 1024)

        init(exporter: OTLPExporter, policy: SpanExportPolicy, builder: SpanBuilder) {
            self.exporter = exporter
            self.policy = policy
            self.builder = builder
        }

        var chunkSpans: Int { max(2, min(256, exporter.configuration.maxQueueSize / 8)) }

        /// Called by the drain thread for every finished request: its spans are written straight
        /// into the wire format.
        mutating func consume(_ record: RequestRecord) {
            guard let reason = policy.reason(for: record) else { return }
            builder.write(record, reason: reason, into: &writer)
            if writer.count >= chunkSpans { flush() }
        }

        /// Queues what the pass wrote so far.
        mutating func flush() {
            guard writer.count > 0 else { return }
            exporter.enqueue(writer.finish())
            writer = SpanBatchWriter(capacity: 64 * 1024)
        }
    }

    /// Applies a reloaded `telemetry:` section: rules at once; a new exporter when the collector,
    /// resource or batching changed (the old one gets a second to flush).
    func reconfigure(_ telemetry: TelemetryConfiguration) {
        let old: OTLPExporter?
        do {
            let unchanged = current.withLock { c in
                c.telemetry.otlp == telemetry.otlp && c.telemetry.serviceName == telemetry.serviceName
                    && c.telemetry.serviceVersion == telemetry.serviceVersion && c.telemetry.environment == telemetry.environment
                    && c.telemetry.resourceAttributes == telemetry.resourceAttributes
            }
            if unchanged {
                current.withLock {
                    $0.telemetry = telemetry
                    $0.policy = Self.policy(telemetry)
                }
                return
            }
            let next = try Self.makeExporter(telemetry, version: version)
            old = current.withLock { c in
                let previous = c.exporter
                c = Current(telemetry: telemetry, exporter: next, policy: Self.policy(telemetry))
                return previous
            }
        } catch {
            logger.error("telemetry_reload_failed", metadata: ["error": "\(error)"])
            return
        }
        if let old {
            old.shutdown(flushWithin: .seconds(1))
            let s = old.statistics
            retired.withLock { r in r = r.adding(s) }
        }
    }

    /// Flushes for up to `flushWithin` and stops (at process shutdown).
    func shutdown(flushWithin: Duration) {
        let exporter = current.withLock { $0.exporter }
        exporter?.shutdown(flushWithin: flushWithin)
    }

    /// Totals for `/metrics`: the current exporter plus every replaced one.
    var statistics: SpanExportStats {
        let live = current.withLock { $0.exporter }?.statistics
        let base = retired.withLock { $0 }
        return live.map { base.adding($0) } ?? base
    }
}
