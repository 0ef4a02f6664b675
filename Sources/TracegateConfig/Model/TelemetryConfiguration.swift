// TelemetryConfiguration.swift — span export: where, who we are, and what is kept.

/// `telemetry:` — Tracegate's own spans (one SERVER span per request, one CLIENT span per upstream
/// attempt) exported over OTLP/HTTP protobuf.
///
/// Sampling itself is `context.sampling_ratio` (it decides the `sampled` flag Tracegate sends
/// upstream, which must agree with what is exported). With no `otlp.endpoint` nothing is exported
/// but context still propagates. The standard `OTEL_*` environment variables override these keys
/// (``TracegateConfiguration/applyingEnvironment(_:)``).
public struct TelemetryConfiguration: Sendable, Equatable {
    /// `service_name`. Default `tracegate`. Resource attribute `service.name`.
    public var serviceName: String
    /// `service_version`. Default: Tracegate's own version (nil here). Resource attribute `service.version`.
    public var serviceVersion: String?
    /// `environment`. Default none. Resource attribute `deployment.environment`.
    public var environment: String?
    /// `resource_attributes`. Extra resource attributes (string values), e.g. `k8s.pod.name`.
    public var resourceAttributes: [String: String]
    /// `otlp`.
    public var otlp: OTLPConfiguration
    /// `always_export_errors`. Default `true`. Also export Tracegate's own spans of unsampled
    /// requests that ended in 5xx, were retried, were rejected by a breaker or budget, or took
    /// longer than `slow_request_threshold` (marked `tracegate.export_reason`), so the edge keeps
    /// every failing request.
    public var alwaysExportErrors: Bool
    /// `slow_request_threshold`. Default 2 s; 0 turns the latency rule off.
    public var slowRequestThreshold: Duration
    /// `trace_url_template`. Default none. An http(s) URL containing `{trace_id}` (e.g.
    /// `http://jaeger:16686/trace/{trace_id}`): the live dashboard turns every trace id into a
    /// link to the trace UI with it, so on-call goes from a failing request to its trace in one
    /// click. Without it trace ids are plain text.
    public var traceURLTemplate: String?

    public init(
        serviceName: String = "tracegate",
        serviceVersion: String? = nil,
        environment: String? = nil,
        resourceAttributes: [String: String] = [:],
        otlp: OTLPConfiguration = OTLPConfiguration(),
        alwaysExportErrors: Bool = true,
        slowRequestThreshold: Duration = .seconds(2),
        traceURLTemplate: String? = nil
    ) {
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
        self.environment = environment
        self.resourceAttributes = resourceAttributes
        self.otlp = otlp
        self.alwaysExportErrors = alwaysExportErrors
        self.slowRequestThreshold = slowRequestThreshold
        self.traceURLTemplate = traceURLTemplate
    }
}

/// `telemetry.otlp:` — the OTLP/HTTP exporter.
public struct OTLPConfiguration: Sendable, Equatable {
    /// `endpoint`. Default none (no export). Full traces URL, `http://host:port/v1/traces`.
    public var endpoint: OTLPEndpoint?
    /// `headers`. Extra request headers (e.g. an API key for a vendor's collector).
    public var headers: [String: String]
    /// `timeout`. Default 10 s. Deadline for one export request, connect included.
    public var timeout: Duration
    /// `max_queue_size`. Default 2048 spans; when full, new spans are dropped and counted.
    public var maxQueueSize: Int
    /// `max_export_batch_size`. Default 512 spans per request.
    public var maxExportBatchSize: Int
    /// `schedule_delay`. Default 1 s: the longest a span waits before its batch is sent.
    public var scheduleDelay: Duration

    public init(
        endpoint: OTLPEndpoint? = nil,
        headers: [String: String] = [:],
        timeout: Duration = .seconds(10),
        maxQueueSize: Int = 2048,
        maxExportBatchSize: Int = 512,
        scheduleDelay: Duration = .seconds(1)
    ) {
        self.endpoint = endpoint
        self.headers = headers
        self.timeout = timeout
        self.maxQueueSize = maxQueueSize
        self.maxExportBatchSize = maxExportBatchSize
        self.scheduleDelay = scheduleDelay
    }
}
