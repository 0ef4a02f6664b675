// TelemetryConfiguration+Decoding.swift — reads `telemetry:` and `telemetry.otlp:`.

extension TelemetryConfiguration {
    static let keys = [
        "service_name", "service_version", "environment", "resource_attributes", "otlp", "always_export_errors",
        "slow_request_threshold", "trace_url_template",
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
        if let templateField = mapping["trace_url_template"], !templateField.isNull,
           let text = templateField.nonEmptyString(&diagnostics) {
            switch Self.validateTraceURLTemplate(text) {
            case nil: traceURLTemplate = text
            case let problem?: templateField.report(problem, &diagnostics)
            }
        }
    }

    /// Why `text` is not a usable trace link template (nil when it is): an absolute http(s) URL
    /// with a host, `{trace_id}` somewhere in it, and no characters that would break out of an
    /// HTML attribute or URL (the dashboard puts it into `href`).
    static func validateTraceURLTemplate(_ text: String) -> String? {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") { rest = text.dropFirst(7) }
        else if lower.hasPrefix("https://") { rest = text.dropFirst(8) }
        else { return "must be an http:// or https:// URL, got \"\(text)\"" }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.hasPrefix("{") { return "must name a host, got \"\(text)\"" }
        if !text.contains("{trace_id}") { return "must contain {trace_id}, got \"\(text)\"" }
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7F || "\"'<>\\`".unicodeScalars.contains($0) }) {
            return "must not contain \"\(bad.escaped(asASCII: true))\" (spaces, quotes, angle brackets, backslashes and non-ASCII are not allowed)"
        }
        return nil
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
