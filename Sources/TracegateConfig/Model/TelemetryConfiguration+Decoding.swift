// TelemetryConfiguration+Decoding.swift — reads `telemetry:` and `telemetry.otlp:`.

extension TelemetryConfiguration {
    static let keys = [
        "service_name", "service_version", "environment", "resource_attributes", "otlp", "always_export_errors",
        "slow_request_threshold",
    ]

    /// Reads `telemetry:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["service_name"]?.nonEmptyString(&diagnostics) { serviceName = value }
        if let value = mapping["service_version"]?.nonEmptyString(&diagnostics) { serviceVersion = value }
        if let value = mapping["environment"]?.nonEmptyString(&diagnostics) { environment = value }
        if let value = mapping["resource_attributes"]?.stringMap(&diagnostics) { resourceAttributes = value }
        if let field = mapping["otlp"] { otlp = OTLPConfiguration(decoding: field, &diagnostics) }
        if let value = mapping["always_export_errors"]?.bool(&diagnostics) { alwaysExportErrors = value }
        if let value = mapping["slow_request_threshold"]?.duration(max: .seconds(3600), allowZero: true, &diagnostics) {
            slowRequestThreshold = value
        }
    }
}

extension OTLPConfiguration {
    /// Headers the exporter writes itself (framing and identity of the OTLP request).
    static let reservedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "content-type", "connection", "user-agent",
    ]

    static let keys = ["endpoint", "headers", "timeout", "max_queue_size", "max_export_batch_size", "schedule_delay"]

    /// Reads `telemetry.otlp:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let endpointField = mapping["endpoint"], !endpointField.isNull, let text = endpointField.nonEmptyString(&diagnostics) {
            switch OTLPEndpoint.parse(text) {
            case .success(let e): endpoint = e
            case .failure(let error): endpointField.report("\(error)", &diagnostics)
            }
        }
        if let value = mapping["headers"]?.stringMap(&diagnostics) {
            for (name, _) in value.sorted(by: { $0.key < $1.key }) {
                if !HeaderName.isToken(name) {
                    mapping["headers"]?.report("\"\(name)\" is not a valid header name", &diagnostics)
                } else if Self.reservedHeaders.contains(name.lowercased()) {
                    mapping["headers"]?.report("\"\(name)\" is set by the exporter itself and cannot be configured", &diagnostics)
                }
            }
            headers = value
        }
        if let value = mapping["timeout"]?.duration(max: .seconds(300), &diagnostics) { timeout = value }
        if let value = mapping["max_queue_size"]?.int(in: 1...1_000_000, &diagnostics) { maxQueueSize = value }
        if let value = mapping["max_export_batch_size"]?.int(in: 1...100_000, &diagnostics) { maxExportBatchSize = value }
        if let value = mapping["schedule_delay"]?.duration(max: .seconds(60), &diagnostics) { scheduleDelay = value }
        if maxExportBatchSize > maxQueueSize {
            (mapping["max_export_batch_size"] ?? mapping.field).report(
                "must not exceed max_queue_size (\(maxQueueSize))", &diagnostics)
        }
    }
}
