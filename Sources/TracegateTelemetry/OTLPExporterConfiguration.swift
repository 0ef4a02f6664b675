// OTLPExporterConfiguration.swift — what the exporter is told at start.

/// Settings of an ``OTLPExporter``. The defaults are the OpenTelemetry batch span processor's
/// (`OTEL_BSP_*`) and OTLP exporter's (`OTEL_EXPORTER_OTLP_TIMEOUT`) defaults, so operators get the
/// behaviour they know from SDKs.
public struct OTLPExporterConfiguration: Sendable {
    public var endpoint: OTLPEndpoint
    /// Extra request headers, e.g. from `OTEL_EXPORTER_OTLP_HEADERS`.
    public var headers: [(String, String)]
    /// Budget of one export request: connect, send and the whole response.
    public var timeout: Duration
    /// Spans waiting for export; beyond it new spans are dropped (counted as `queue_full`) so the
    /// caller never waits and memory stays bounded.
    public var maxQueueSize: Int
    /// Spans per export request.
    public var maxExportBatchSize: Int
    /// Longest time a span waits in the queue before a partial batch is sent.
    public var scheduleDelay: Duration
    public var resource: TelemetryResource
    /// Tracegate's version, sent as `User-Agent: tracegate/<version>` so collector logs say who sent what.
    public var version: String
    /// Wait before the one retry when the collector gave no `Retry-After`.
    public var retryBackoff: Duration
    /// Cap on a collector's `Retry-After`, so one answer cannot park the exporter while the queue fills.
    public var maxRetryDelay: Duration

    public init(
        endpoint: OTLPEndpoint,
        resource: TelemetryResource = TelemetryResource(),
        version: String,
        headers: [(String, String)] = [],
        timeout: Duration = .seconds(10),
        maxQueueSize: Int = 2048,
        maxExportBatchSize: Int = 512,
        scheduleDelay: Duration = .seconds(1),
        retryBackoff: Duration = .milliseconds(200),
        maxRetryDelay: Duration = .seconds(5)
    ) {
        self.endpoint = endpoint
        self.resource = resource
        self.version = version
        self.headers = headers
        self.timeout = timeout
        self.maxQueueSize = maxQueueSize
        self.maxExportBatchSize = maxExportBatchSize
        self.scheduleDelay = scheduleDelay
        self.retryBackoff = retryBackoff
        self.maxRetryDelay = maxRetryDelay
    }
}
