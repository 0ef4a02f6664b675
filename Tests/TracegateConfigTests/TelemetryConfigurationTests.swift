// TelemetryConfigurationTests.swift — `telemetry:` keys, the OTLP endpoint URL, and its errors.

import Testing
import TracegateConfig

@Suite("Telemetry configuration")
struct TelemetryConfigurationTests {
    @Test("defaults: no export, errors kept, 2 s slow threshold")
    func defaults() throws {
        let config = try #require(loadValid(baseYAML))
        #expect(config.telemetry.otlp.endpoint == nil)
        #expect(config.telemetry.serviceName == "tracegate")
        #expect(config.telemetry.alwaysExportErrors)
        #expect(config.telemetry.slowRequestThreshold == .seconds(2))
        #expect(config.telemetry.otlp.maxQueueSize == 2048)
        #expect(config.admin.requestHistory == 10_000)
        #expect(config.telemetry.traceURLTemplate == nil)
    }

    @Test("every key is read")
    func everyKey() throws {
        let yaml = baseYAML + """
            admin: {request_history: 500}
            telemetry:
              service_name: edge
              service_version: "1.2"
              environment: staging
              resource_attributes: {k8s.pod.name: p-1, replicas: 3}
              always_export_errors: false
              slow_request_threshold: 0s
              trace_url_template: "https://jaeger.example:16686/trace/{trace_id}?uiEmbed=v0"
              otlp:
                endpoint: http://collector.local:4318/v1/traces
                headers: {x-api-key: abc}
                timeout: 3s
                max_queue_size: 100
                max_export_batch_size: 10
                schedule_delay: 250ms
            """
        let config = try #require(loadValid(yaml))
        let t = config.telemetry
        #expect(t.serviceName == "edge")
        #expect(t.serviceVersion == "1.2")
        #expect(t.environment == "staging")
        #expect(t.resourceAttributes == ["k8s.pod.name": "p-1", "replicas": "3"])
        #expect(!t.alwaysExportErrors)
        #expect(t.slowRequestThreshold == .zero)
        #expect(t.traceURLTemplate == "https://jaeger.example:16686/trace/{trace_id}?uiEmbed=v0")
        #expect(t.otlp.endpoint == OTLPEndpoint(host: "collector.local", port: 4318, path: "/v1/traces"))
        #expect(t.otlp.headers == ["x-api-key": "abc"])
        #expect(t.otlp.timeout == .seconds(3))
        #expect(t.otlp.maxQueueSize == 100)
        #expect(t.otlp.maxExportBatchSize == 10)
        #expect(t.otlp.scheduleDelay == .milliseconds(250))
        #expect(config.admin.requestHistory == 500)
    }

    @Test(
        "endpoint URLs",
        arguments: [
            ("http://127.0.0.1:4318/v1/traces", "http://127.0.0.1:4318/v1/traces"),
            ("http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/traces"),
            ("http://Collector:9000/otlp/traces", "http://collector:9000/otlp/traces"),
            ("http://[::1]:4318/v1/traces", "http://[::1]:4318/v1/traces"),
            ("http://localhost/v1/traces", "http://localhost:80/v1/traces"),
        ]
    )
    func endpoints(text: String, expected: String) throws {
        let endpoint = try OTLPEndpoint.parse(text).get()
        #expect(endpoint.description == expected)
    }

    @Test(
        "bad telemetry values are precise errors",
        arguments: [
            ("telemetry: {otlp: {endpoint: \"https://c:4318\"}}\n",
             "telemetry.otlp.endpoint: https collector endpoints are not supported yet (the exporter has no TLS); use http:// to a local or sidecar OpenTelemetry Collector"),
            ("telemetry: {otlp: {endpoint: \"grpc://c:4317\"}}\n",
             "telemetry.otlp.endpoint: expected an http:// URL, e.g. http://127.0.0.1:4318/v1/traces"),
            ("telemetry: {otlp: {endpoint: \"http://c:0/v1/traces\"}}\n", "telemetry.otlp.endpoint: the URL's port must be 1-65535"),
            ("telemetry: {otlp: {endpoint: \"http://c:99999\"}}\n", "telemetry.otlp.endpoint: the URL's port must be 1-65535"),
            ("telemetry: {otlp: {endpoint: \"http:///v1/traces\"}}\n", "telemetry.otlp.endpoint: the URL has no valid host"),
            ("telemetry: {otlp: {endpoint: \"http://c/v1?x=1\"}}\n", "telemetry.otlp.endpoint: the URL must not have a query or fragment"),
            ("telemetry: {otlp: {headers: {\"bad name\": x}}}\n", "telemetry.otlp.headers: \"bad name\" is not a valid header name"),
            ("telemetry: {otlp: {max_queue_size: 10, max_export_batch_size: 20}}\n",
             "telemetry.otlp.max_export_batch_size: must not exceed max_queue_size (10)"),
            ("telemetry: {service_name: \"\"}\n", "telemetry.service_name: must not be empty"),
            ("telemetry: {resource_attributes: [a]}\n", "telemetry.resource_attributes: expected a mapping"),
            ("telemetry: {sampling: 1}\n", "telemetry.sampling: unknown key \"sampling\""),
            ("telemetry: {trace_url_template: \"ftp://j/trace/{trace_id}\"}\n",
             "telemetry.trace_url_template: must be an http:// or https:// URL, got \"ftp://j/trace/{trace_id}\""),
            ("telemetry: {trace_url_template: \"http://jaeger:16686/trace/\"}\n",
             "telemetry.trace_url_template: must contain {trace_id}, got \"http://jaeger:16686/trace/\""),
            ("telemetry: {trace_url_template: \"http:///trace/{trace_id}\"}\n",
             "telemetry.trace_url_template: must name a host"),
            ("telemetry: {trace_url_template: \"http://j/trace/{trace_id}\\\">\"}\n",
             "telemetry.trace_url_template: must not contain \"\\\"\""),
            ("telemetry: {trace_url_template: \"\"}\n", "telemetry.trace_url_template: must not be empty"),
            ("admin: {request_history: 0}\n", "admin.request_history: must be between 1 and 1000000 (got 0)"),
        ]
    )
    func errors(snippet: String, expected: String) {
        let errors = loadErrors(baseYAML + snippet)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(expected) == true, "\(errors)")
    }
}
