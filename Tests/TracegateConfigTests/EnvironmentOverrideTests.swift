// EnvironmentOverrideTests.swift — the OTEL_* variables over the file, and what they refuse.

import Testing
import TracegateConfig

@Suite("OTEL_* environment overrides")
struct EnvironmentOverrideTests {
    func base() throws -> TracegateConfiguration {
        try #require(loadValid(baseYAML + "telemetry: {service_name: file, otlp: {endpoint: \"http://file:4318\"}}\ncontext: {sampling_ratio: 0.5}\n"))
    }

    func errors(_ env: [String: String]) throws -> [String] {
        let config = try base()
        do {
            _ = try config.applyingEnvironment(env)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("no variables: the file as is")
    func nothing() throws {
        #expect(try base().applyingEnvironment([:]) == base())
        #expect(try base().applyingEnvironment(["OTEL_SERVICE_NAME": "", "PATH": "/bin"]) == base())
    }

    @Test("endpoint variables: the traces URL as is, the base URL gets /v1/traces")
    func endpoints() throws {
        let traces = try base().applyingEnvironment(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:1234/custom",
                                                      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://ignored:1"])
        #expect(traces.telemetry.otlp.endpoint?.description == "http://c:1234/custom")
        let based = try base().applyingEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"])
        #expect(based.telemetry.otlp.endpoint?.description == "http://c:4318/v1/traces")
        let prefixed = try base().applyingEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/otel/"])
        #expect(prefixed.telemetry.otlp.endpoint?.description == "http://c:4318/otel/v1/traces")
    }

    @Test("service name, resource attributes, headers, batching and timeouts")
    func resourceAndBatching() throws {
        let c = try base().applyingEnvironment([
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs,service.version=9,deployment.environment=prod,team=edge%20ops",
            "OTEL_SERVICE_NAME": "edge",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=s%3Dcret,x-a=1",
            "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2500",
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "OTEL_BSP_MAX_QUEUE_SIZE": "64",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "8",
        ])
        #expect(c.telemetry.serviceName == "edge")
        #expect(c.telemetry.serviceVersion == "9")
        #expect(c.telemetry.environment == "prod")
        #expect(c.telemetry.resourceAttributes == ["team": "edge ops"])
        #expect(c.telemetry.otlp.headers == ["api-key": "s=cret", "x-a": "1"])
        #expect(c.telemetry.otlp.timeout == .milliseconds(2500))
        #expect(c.telemetry.otlp.scheduleDelay == .milliseconds(100))
        #expect(c.telemetry.otlp.maxQueueSize == 64)
        #expect(c.telemetry.otlp.maxExportBatchSize == 8)
    }

    @Test("non-parent-based samplers set trace_id_ratio; parent-based ones set it back")
    func nonParentBasedSampler() throws {
        let ratio = try base().applyingEnvironment(["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.3"])
        #expect(ratio.context.sampler == .traceIDRatio)
        #expect(ratio.context.samplingRatio == 0.3)
        let on = try base().applyingEnvironment(["OTEL_TRACES_SAMPLER": "always_on", "OTEL_TRACES_SAMPLER_ARG": "0.3"])
        #expect(on.context.sampler == .traceIDRatio)
        #expect(on.context.samplingRatio == 1)
        #expect(try base().applyingEnvironment(["OTEL_TRACES_SAMPLER": "always_off"]).context.samplingRatio == 0)
        var file = try base()
        file.context.sampler = .traceIDRatio
        #expect(try file.applyingEnvironment(["OTEL_TRACES_SAMPLER": "parentbased_traceidratio"]).context.sampler == .parentBased)
    }

    @Test("sampler variables set the ratio")
    func sampler() throws {
        #expect(try base().applyingEnvironment(["OTEL_TRACES_SAMPLER_ARG": "0.01"]).context.samplingRatio == 0.01)
        #expect(try base().applyingEnvironment(["OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                                                 "OTEL_TRACES_SAMPLER_ARG": "0.2"]).context.samplingRatio == 0.2)
        #expect(try base().applyingEnvironment(["OTEL_TRACES_SAMPLER": "parentbased_always_off"]).context.samplingRatio == 0)
        #expect(try base().applyingEnvironment(["OTEL_TRACES_SAMPLER": "parentbased_always_on"]).context.samplingRatio == 1)
    }

    @Test("export switched off by OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none")
    func disabled() throws {
        #expect(try base().applyingEnvironment(["OTEL_SDK_DISABLED": "true"]).telemetry.otlp.endpoint == nil)
        #expect(try base().applyingEnvironment(["OTEL_TRACES_EXPORTER": "none"]).telemetry.otlp.endpoint == nil)
        #expect(try base().applyingEnvironment(["OTEL_TRACES_EXPORTER": "otlp"]).telemetry.otlp.endpoint != nil)
    }

    @Test(
        "unsupported values are errors naming the variable",
        arguments: [
            (["OTEL_PROPAGATORS": "b3"], "OTEL_PROPAGATORS: \"b3\" is not supported: Tracegate propagates W3C tracecontext and baggage only"),
            (["OTEL_PROPAGATORS": "baggage"], "OTEL_PROPAGATORS: tracecontext is required: Tracegate always propagates W3C traceparent"),
            (["OTEL_TRACES_SAMPLER": "jaeger_remote"], "OTEL_TRACES_SAMPLER: \"jaeger_remote\" is not supported: use parentbased_traceidratio, parentbased_always_on, parentbased_always_off, traceidratio, always_on or always_off"),
            (["OTEL_TRACES_SAMPLER_ARG": "1.5"], "OTEL_TRACES_SAMPLER_ARG: expected a sampling ratio between 0 and 1 (got \"1.5\")"),
            (["OTEL_TRACES_SAMPLER_ARG": "half"], "OTEL_TRACES_SAMPLER_ARG: expected a sampling ratio between 0 and 1 (got \"half\")"),
            (["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "OTEL_EXPORTER_OTLP_PROTOCOL: \"grpc\" is not supported: Tracegate exports OTLP over http/protobuf"),
            (["OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"], "OTEL_EXPORTER_OTLP_COMPRESSION: \"gzip\" is not supported: Tracegate sends OTLP uncompressed (none)"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "https://c:4318"], "OTEL_EXPORTER_OTLP_ENDPOINT: https collector endpoints are not supported yet"),
            (["OTEL_TRACES_EXPORTER": "zipkin"], "OTEL_TRACES_EXPORTER: \"zipkin\" is not supported: Tracegate exports spans with otlp (or none)"),
            (["OTEL_SDK_DISABLED": "yes"], "OTEL_SDK_DISABLED: expected true or false (got \"yes\")"),
            (["OTEL_EXPORTER_OTLP_HEADERS": "novalue"], "OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs separated by commas"),
            (["OTEL_BSP_MAX_QUEUE_SIZE": "0"], "OTEL_BSP_MAX_QUEUE_SIZE: expected an integer between 1 and 1000000 (got \"0\")"),
            (["OTEL_EXPORTER_OTLP_TIMEOUT": "-5"], "OTEL_EXPORTER_OTLP_TIMEOUT: expected milliseconds between 1 and 300000 (got \"-5\")"),
        ]
    )
    func refused(env: [String: String], expected: String) throws {
        let found = try errors(env)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test("several bad variables are all reported")
    func several() throws {
        #expect(try errors(["OTEL_PROPAGATORS": "b3", "OTEL_TRACES_SAMPLER": "jaeger_remote"]).count == 2)
    }
}
