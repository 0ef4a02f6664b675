// TracegateConfiguration+Environment.swift — the standard OTEL_* variables over the file.

extension TracegateConfiguration {
    /// The configuration with the OpenTelemetry SDK environment variables applied on top, as
    /// OpenTelemetry users expect (the environment wins over the file). Empty values count as
    /// unset (OpenTelemetry specification, "Configuration > Environment Variables").
    ///
    /// Understood: `OTEL_SDK_DISABLED`, `OTEL_TRACES_EXPORTER` (`otlp`, `none`),
    /// `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`, `…_PROTOCOL` (`http/protobuf`), `…_HEADERS`,
    /// `…_TIMEOUT`, `…_COMPRESSION` (`none`), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
    /// `OTEL_TRACES_SAMPLER` (`parentbased_traceidratio`, `parentbased_always_on`,
    /// `parentbased_always_off`, and the non-parent-based `traceidratio`, `always_on`,
    /// `always_off`), `OTEL_TRACES_SAMPLER_ARG`, `OTEL_PROPAGATORS` (`tracecontext`, `baggage`), `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_BSP_MAX_QUEUE_SIZE`,
    /// `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, `OTEL_BSP_EXPORT_TIMEOUT`.
    ///
    /// A value Tracegate cannot honour (`OTEL_PROPAGATORS=b3`, `OTEL_TRACES_SAMPLER=jaeger_remote`, a
    /// gRPC protocol) is an error naming the variable: silently ignoring it would export or
    /// propagate something other than what the operator asked for.
    ///
    /// - Throws: `ConfigErrors`, one error per offending variable, key path = the variable name.
    public func applyingEnvironment(_ environment: [String: String]) throws(ConfigErrors) -> TracegateConfiguration {
        var reader = EnvironmentOverrides(environment: environment)
        var config = self
        reader.apply(to: &config)
        guard reader.errors.isEmpty else { throw ConfigErrors(errors: reader.errors) }
        return config
    }
}

/// Reads the OTEL_* variables one by one, collecting every error.
struct EnvironmentOverrides {
    let environment: [String: String]
    var errors: [ConfigError] = []

    init(environment: [String: String]) { self.environment = environment }

    /// The trimmed value, nil when unset or empty.
    func value(_ name: String) -> String? {
        guard let raw = environment[name] else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    mutating func fail(_ name: String, _ reason: String) {
        errors.append(ConfigError(keyPath: name, reason: reason))
    }

    mutating func apply(to config: inout TracegateConfiguration) {
        applyExporter(to: &config.telemetry)
        applyResource(to: &config.telemetry)
        applySampler(to: &config.context)
        applyPropagators()
        applyBatching(to: &config.telemetry.otlp)
    }

    private mutating func applyExporter(to telemetry: inout TelemetryConfiguration) {
        var disabled = false
        if let v = value("OTEL_SDK_DISABLED") {
            switch v.lowercased() {
            case "true": disabled = true
            case "false": break
            default: fail("OTEL_SDK_DISABLED", "expected true or false (got \"\(v)\")")
            }
        }
        if let v = value("OTEL_TRACES_EXPORTER") {
            let names = v.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in names where name != "otlp" && name != "none" {
                fail("OTEL_TRACES_EXPORTER", "\"\(name)\" is not supported: Tracegate exports spans with otlp (or none)")
            }
            if names == ["none"] { disabled = true }
        }
        for name in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] {
            if let v = value(name), v != "http/protobuf" {
                fail(name, "\"\(v)\" is not supported: Tracegate exports OTLP over http/protobuf")
            }
        }
        for name in ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"] {
            if let v = value(name), v != "none" {
                fail(name, "\"\(v)\" is not supported: Tracegate sends OTLP uncompressed (none)")
            }
        }
        if let v = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            switch OTLPEndpoint.parse(v) {
            case .success(let e): telemetry.otlp.endpoint = e
            case .failure(let e): fail("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "\(e)")
            }
        } else if let v = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
            switch OTLPEndpoint.parseBase(v) {
            case .success(let e): telemetry.otlp.endpoint = e
            case .failure(let e): fail("OTEL_EXPORTER_OTLP_ENDPOINT", "\(e)")
            }
        }
        for name in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"] {
            guard let v = value(name) else { continue }
            guard let pairs = Self.keyValueList(v) else {
                fail(name, "expected key=value pairs separated by commas")
                continue
            }
            for (k, val) in pairs {
                guard HeaderName.isToken(k) else {
                    fail(name, "\"\(k)\" is not a valid header name")
                    continue
                }
                guard !OTLPConfiguration.reservedHeaders.contains(k.lowercased()) else {
                    fail(name, "\"\(k)\" is set by the exporter itself and cannot be configured")
                    continue
                }
                telemetry.otlp.headers[k] = val
            }
        }
        for name in ["OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_BSP_EXPORT_TIMEOUT"] {
            if let ms = milliseconds(name, range: 1...300_000) { telemetry.otlp.timeout = .milliseconds(ms) }
        }
        if disabled { telemetry.otlp.endpoint = nil }
    }

    private mutating func applyResource(to telemetry: inout TelemetryConfiguration) {
        if let v = value("OTEL_RESOURCE_ATTRIBUTES") {
            if let pairs = Self.keyValueList(v) {
                for (k, val) in pairs {
                    switch k {
                    case "service.name": telemetry.serviceName = val
                    case "service.version": telemetry.serviceVersion = val
                    case "deployment.environment", "deployment.environment.name": telemetry.environment = val
                    default: telemetry.resourceAttributes[k] = val
                    }
                }
            } else {
                fail("OTEL_RESOURCE_ATTRIBUTES", "expected key=value pairs separated by commas")
            }
        }
        if let v = value("OTEL_SERVICE_NAME") { telemetry.serviceName = v }
    }

    private mutating func applySampler(to context: inout ContextConfiguration) {
        var usesRatio = true
        if let v = value("OTEL_TRACES_SAMPLER") {
            switch v {
            case "parentbased_traceidratio":
                context.sampler = .parentBased
            case "parentbased_always_on":
                context.sampler = .parentBased
                context.samplingRatio = 1.0
                usesRatio = false
            case "parentbased_always_off":
                context.sampler = .parentBased
                context.samplingRatio = 0.0
                usesRatio = false
            case "traceidratio":
                context.sampler = .traceIDRatio
            case "always_on":
                context.sampler = .traceIDRatio
                context.samplingRatio = 1.0
                usesRatio = false
            case "always_off":
                context.sampler = .traceIDRatio
                context.samplingRatio = 0.0
                usesRatio = false
            default:
                fail("OTEL_TRACES_SAMPLER", "\"\(v)\" is not supported: use parentbased_traceidratio, parentbased_always_on, parentbased_always_off, traceidratio, always_on or always_off")
            }
        }
        if let v = value("OTEL_TRACES_SAMPLER_ARG"), usesRatio {
            if let ratio = Double(v), ratio >= 0, ratio <= 1 {
                context.samplingRatio = ratio
            } else {
                fail("OTEL_TRACES_SAMPLER_ARG", "expected a sampling ratio between 0 and 1 (got \"\(v)\")")
            }
        }
    }

    private mutating func applyPropagators() {
        guard let v = value("OTEL_PROPAGATORS") else { return }
        let names = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let unsupported = names.filter { $0 != "tracecontext" && $0 != "baggage" }
        for name in unsupported {
            fail("OTEL_PROPAGATORS", "\"\(name)\" is not supported: Tracegate propagates W3C tracecontext and baggage only")
        }
        if unsupported.isEmpty && !names.contains("tracecontext") {
            fail("OTEL_PROPAGATORS", "tracecontext is required: Tracegate always propagates W3C traceparent")
        }
    }

    private mutating func applyBatching(to otlp: inout OTLPConfiguration) {
        if let ms = milliseconds("OTEL_BSP_SCHEDULE_DELAY", range: 1...60_000) { otlp.scheduleDelay = .milliseconds(ms) }
        if let n = integer("OTEL_BSP_MAX_QUEUE_SIZE", range: 1...1_000_000) { otlp.maxQueueSize = n }
        if let n = integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", range: 1...100_000) { otlp.maxExportBatchSize = n }
        if otlp.maxExportBatchSize > otlp.maxQueueSize {
            fail("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "must not exceed the queue size (\(otlp.maxQueueSize))")
        }
    }

    private mutating func integer(_ name: String, range: ClosedRange<Int>) -> Int? {
        guard let v = value(name) else { return nil }
        guard let n = Int(v), range.contains(n) else {
            fail(name, "expected an integer between \(range.lowerBound) and \(range.upperBound) (got \"\(v)\")")
            return nil
        }
        return n
    }

    private mutating func milliseconds(_ name: String, range: ClosedRange<Int>) -> Int? {
        guard let v = value(name) else { return nil }
        guard let n = Int(v), range.contains(n) else {
            fail(name, "expected milliseconds between \(range.lowerBound) and \(range.upperBound) (got \"\(v)\")")
            return nil
        }
        return n
    }

    /// `k1=v1,k2=v2` with percent-encoded keys and values (W3C Baggage octets, as the
    /// OpenTelemetry specification defines for these variables). Nil when malformed.
    static func keyValueList(_ text: String) -> [(String, String)]? {
        var out: [(String, String)] = []
        for member in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let eq = member.firstIndex(of: "=") else { return nil }
            let key = member[..<eq].trimmingCharacters(in: .whitespaces)
            let value = member[member.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, let k = percentDecoded(key), let v = percentDecoded(value) else { return nil }
            out.append((k, v))
        }
        return out
    }

    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(text.utf8).makeIterator()
        while let b = it.next() {
            guard b == UInt8(ascii: "%") else {
                bytes.append(b)
                continue
            }
            guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
            bytes.append(hv << 4 | lv)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
