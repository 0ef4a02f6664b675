// SpanExportTests: Tracegate's spans as a real OTLP receiver (Python, official protobuf
// definitions) decodes them — ids, parents, attributes, links, error export, back-pressure.
import Foundation
import Testing
import TracegateTestSupport

extension Integration {
    @Suite struct SpanExport {
        /// `telemetry:` exporting to `receiver` quickly (100 ms batches), plus `extra` keys.
        static func telemetry(_ receiver: String, extra: String = "", otlpExtra: String = "") -> String {
            """
            telemetry:
              service_name: edge-test
              environment: test
              resource_attributes: { k8s.pod.name: pod-1 }
              \(extra)
              otlp: { endpoint: "\(receiver)", schedule_delay: 100ms\(otlpExtra) }
            """
        }

        static func attribute(_ span: ReceivedSpan, _ key: String) -> ReceivedValue? { span.attributes[key] }

        @Test func serverAndClientSpansCarryTheIdsOnTheWire() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: Self.telemetry(receiver.endpoint)) })
            defer { h.stop() }
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let result = try Curl.get(h.url("/items/42?secret=1"), headers: [("traceparent", incoming), ("User-Agent", "span-test/1.0")])
            #expect(result.status == 200)
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            let spans = try receiver.waitForSpans(count: 2)
            #expect(spans.count == 2)
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" })
            let client = try #require(spans.first { $0.kind == "SPAN_KIND_CLIENT" })

            #expect(server.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(server.parentSpanID == "00f067aa0ba902b7")
            #expect(client.traceID == server.traceID)
            #expect(client.parentSpanID == server.spanID)
            #expect(client.spanID == upstream.parentID, "the CLIENT span is the parent the upstream saw")
            let response = try #require(Wire.traceparent(result.header("traceresponse")), "a trusted client gets traceresponse")
            #expect(response.parentID == server.spanID, "traceresponse names the SERVER span")

            #expect(server.name == "GET /*")
            #expect(server.attributes["http.request.method"] == .string("GET"))
            #expect(server.attributes["url.path"] == .string("/items/42"))
            #expect(server.attributes["url.scheme"] == .string("http"))
            #expect(server.attributes["http.route"] == .string("/*"))
            #expect(server.attributes["server.address"] == .string("127.0.0.1"))
            #expect(server.attributes["server.port"] == .int(Int64(h.port)))
            #expect(server.attributes["client.address"] == .string("127.0.0.1"))
            #expect(server.attributes["network.protocol.version"] == .string("1.1"))
            #expect(server.attributes["user_agent.original"] == .string("span-test/1.0"))
            #expect(server.attributes["http.response.status_code"] == .int(200))
            #expect(server.attributes["tracegate.route"] == .string("default"))
            #expect(server.attributes["tracegate.cluster"] == .string("backend"))
            #expect(server.attributes["tracegate.trusted"] == .bool(true))
            #expect(server.attributes["tracegate.debug"] == .bool(false))
            #expect(server.attributes["tracegate.correlation_id"] == .string(result.header("X-Correlation-ID") ?? "?"))
            #expect(server.attributes["error.type"] == nil)
            #expect(server.attributes["tracegate.export_reason"] == nil)
            #expect(server.status.code == "STATUS_CODE_UNSET")
            #expect(server.flags & 0x1 == 1, "sampled flag")
            #expect(server.startTimeUnixNano <= client.startTimeUnixNano && client.endTimeUnixNano <= server.endTimeUnixNano)

            #expect(client.name == "GET")
            #expect(client.attributes["server.address"] == .string("127.0.0.1"))
            #expect(client.attributes["server.port"] == .int(Int64(h.upstream.port)))
            #expect(client.attributes["url.full"] == .string("http://\(h.upstream.address)/items/42"))
            #expect(client.attributes["http.response.status_code"] == .int(200))
            #expect(client.attributes["http.request.resend_count"] == nil)
            #expect(client.attributes["tracegate.cluster"] == .string("backend"))

            #expect(server.resource.attributes["service.name"] == .string("edge-test"))
            #expect(server.resource.attributes["deployment.environment"] == .string("test"))
            #expect(server.resource.attributes["k8s.pod.name"] == .string("pod-1"))
            if case .string(let v)? = server.resource.attributes["service.version"] { #expect(!v.isEmpty) } else { Issue.record("no service.version") }
            #expect(server.scope.name == "tracegate")
        }

        @Test func restartedUntrustedTraceLinksTheCallersContext() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: Self.telemetry(receiver.endpoint)) })
            defer { h.stop() }
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            #expect(try Curl.get(h.url("/x", listener: "outside"), headers: [("traceparent", incoming)]).status == 200)
            let server = try #require(try receiver.waitForSpans(count: 2).first { $0.kind == "SPAN_KIND_SERVER" })
            #expect(server.traceID != "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(server.parentSpanID == "")
            #expect(server.links.count == 1)
            #expect(server.links.first?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(server.links.first?.spanID == "00f067aa0ba902b7")
            #expect(server.attributes["tracegate.trusted"] == .bool(false))
        }

        @Test func unsampledFailuresAreExportedAndMarked() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start({ request in
                request.target.hasPrefix("/fail") ? .text("down", status: 503) : .text("ok")
            }, config: { Configs.standard(backend: $0, extra: "context: { sampling_ratio: 0.0 }\n" + Self.telemetry(receiver.endpoint)) })
            defer { h.stop() }
            for _ in 0..<5 { #expect(try Curl.get(h.url("/ok")).status == 200) }
            #expect(try Curl.get(h.url("/fail")).status == 503)
            let spans = try receiver.waitForSpans(count: 2)
            Thread.sleep(forTimeInterval: 0.4)  // anything else would have arrived by now (100 ms batches)
            let all = try receiver.spans()
            #expect(all.count == 2, "only the failing request is exported: \(all.map(\.name))")
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" })
            let client = try #require(spans.first { $0.kind == "SPAN_KIND_CLIENT" })
            #expect(server.attributes["url.path"] == .string("/fail"))
            #expect(server.attributes["tracegate.export_reason"] == .string("error"))
            #expect(server.attributes["error.type"] == .string("503"))
            #expect(server.status.code == "STATUS_CODE_ERROR")
            #expect(server.flags & 0x1 == 0, "exported but not sampled")
            #expect(client.attributes["error.type"] == .string("503"))
            #expect(client.status.code == "STATUS_CODE_ERROR")
        }

        @Test func anHonouredDebugHeaderForcesSampling() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: "context: { sampling_ratio: 0.0 }\n" + Self.telemetry(receiver.endpoint)) })
            defer { h.stop() }
            #expect(try Curl.get(h.url("/quiet")).status == 200)
            #expect(try Curl.get(h.url("/loud"), headers: [("X-Debug", "1")]).status == 200)
            let upstream = try #require(Wire.traceparent(h.lastRequest?.header("traceparent")))
            #expect((UInt8(upstream.flags, radix: 16) ?? 0) & 1 == 1, "debug forces the sampled flag upstream too")
            _ = try receiver.waitForSpans(count: 2)
            Thread.sleep(forTimeInterval: 0.4)
            let spans = try receiver.spans()
            #expect(spans.count == 2, "only the debug request is exported: \(spans.map(\.name))")
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" })
            #expect(server.attributes["url.path"] == .string("/loud"))
            #expect(server.attributes["tracegate.debug"] == .bool(true))
            #expect(server.attributes["tracegate.export_reason"] == nil)
            #expect(server.flags & 0x1 == 1)
        }

        @Test func unsampledSlowRequestsAreExportedAndMarked() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start({ request in
                request.target.hasPrefix("/slow") ? FixtureResponse.text("late").with { $0.delayBeforeHead = .milliseconds(300) } : .text("ok")
            }, config: {
                Configs.standard(backend: $0, extra: "context: { sampling_ratio: 0.0 }\n"
                    + Self.telemetry(receiver.endpoint, extra: "slow_request_threshold: 150ms"))
            })
            defer { h.stop() }
            #expect(try Curl.get(h.url("/fast")).status == 200)
            #expect(try Curl.get(h.url("/slow")).status == 200)
            let server = try #require(try receiver.waitForSpans(count: 2).first { $0.kind == "SPAN_KIND_SERVER" })
            Thread.sleep(forTimeInterval: 0.4)
            #expect(try receiver.spans().count == 2, "the fast request is not exported")
            #expect(server.attributes["url.path"] == .string("/slow"))
            #expect(server.attributes["tracegate.export_reason"] == .string("slow"))
            #expect(server.status.code == "STATUS_CODE_UNSET")
            #expect(server.endTimeUnixNano - server.startTimeUnixNano >= 300_000_000)
        }

        @Test func errorsAreNotExportedWhenAlwaysExportErrorsIsOff() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start({ _ in .text("down", status: 503) }, config: {
                Configs.standard(backend: $0, extra: "context: { sampling_ratio: 0.0 }\n"
                    + Self.telemetry(receiver.endpoint, extra: "always_export_errors: false"))
            })
            defer { h.stop() }
            #expect(try Curl.get(h.url("/fail")).status == 503)
            Thread.sleep(forTimeInterval: 0.5)
            #expect(try receiver.spans().isEmpty)
        }

        @Test func refusedUpstreamGivesAFailedClientSpan() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let refusing = try UpstreamFixture.refusingPort()
            let proxy = try ProxyProcess.start(config: Configs.standard(backend: "127.0.0.1:\(refusing)", extra: Self.telemetry(receiver.endpoint)))
            defer { _ = proxy.stop() }
            #expect(try Curl.get("http://127.0.0.1:\(try proxy.port("public"))/r").status == 502)
            let spans = try receiver.waitForSpans(count: 2)
            let server = try #require(spans.first { $0.kind == "SPAN_KIND_SERVER" })
            let client = try #require(spans.first { $0.kind == "SPAN_KIND_CLIENT" })
            #expect(server.attributes["error.type"] == .string("upstream_connect_failed"))
            #expect(server.attributes["http.response.status_code"] == .int(502))
            #expect(server.status.code == "STATUS_CODE_ERROR")
            #expect(client.attributes["error.type"] == .string("connect_failed"))
            #expect(client.attributes["http.response.status_code"] == nil)
            #expect(client.status.code == "STATUS_CODE_ERROR")
        }

        /// A collector that never answers, or is not there, costs requests nothing: they keep
        /// flowing at once, and the spans that cannot be sent are dropped and counted.
        @Test(arguments: ["hang", "down"])
        func deadCollectorCostsNothingVisible(kind: String) throws {
            let receiver = try OTLPReceiver.start(mode: kind == "hang" ? .hang : .ok)
            defer { _ = receiver.stop() }
            var endpoint = receiver.endpoint
            if kind == "down" { endpoint = "http://127.0.0.1:\(try UpstreamFixture.refusingPort())/v1/traces" }
            let h = try Harness.start(config: {
                Configs.standard(backend: $0, extra: Self.telemetry(endpoint, otlpExtra: ", timeout: 30s, max_queue_size: 64, max_export_batch_size: 32"))
            })
            defer { h.stop() }
            let started = ContinuousClock.now
            for i in 0..<400 { #expect(try Wire.get(port: h.port, "/flow/\(i)")?.status == 200) }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(20), "requests slowed down: \(elapsed)")
            let reason = kind == "hang" ? "queue_full" : "export_failed"
            let metrics = try Admin.metrics(h.proxy, timeout: .seconds(10)) {
                ($0.value("tracegate_spans_dropped_total", "reason=\"\(reason)\"") ?? 0) > 0
            }
            #expect((metrics.value("tracegate_spans_dropped_total", "reason=\"\(reason)\"") ?? 0) > 0)
            #expect(metrics.value("tracegate_spans_exported_total") == 0)
        }

        @Test func spansExportedAreCounted() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let h = try Harness.start(config: { Configs.standard(backend: $0, extra: Self.telemetry(receiver.endpoint)) })
            defer { h.stop() }
            for i in 0..<10 { #expect(try Wire.get(port: h.port, "/c/\(i)")?.status == 200) }
            _ = try receiver.waitForSpans(count: 20)
            let metrics = try Admin.metrics(h.proxy) { ($0.value("tracegate_spans_exported_total") ?? 0) >= 20 }
            #expect(metrics.value("tracegate_spans_exported_total") == 20)
        }

        @Test func otelEnvironmentVariablesOverrideTheFile() throws {
            let receiver = try OTLPReceiver.start()
            defer { _ = receiver.stop() }
            let upstream = try UpstreamFixture.start(UpstreamFixture.echo)
            defer { upstream.stop() }
            let proxy = try ProxyProcess.start(
                config: Configs.standard(backend: upstream.address, extra: "telemetry: { otlp: { schedule_delay: 100ms } }"),
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiver.port)",
                              "OTEL_SERVICE_NAME": "from-env", "OTEL_RESOURCE_ATTRIBUTES": "team=edge,deployment.environment=ci",
                              "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1",
                              "OTEL_PROPAGATORS": "tracecontext,baggage"])
            defer { _ = proxy.stop() }
            #expect(try Curl.get("http://127.0.0.1:\(try proxy.port("public"))/env").status == 200)
            let span = try #require(try receiver.waitForSpans(count: 2).first)
            #expect(span.resource.attributes["service.name"] == .string("from-env"))
            #expect(span.resource.attributes["team"] == .string("edge"))
            #expect(span.resource.attributes["deployment.environment"] == .string("ci"))
        }

        @Test func unsupportedOtelValuesAreAClearStartupError() throws {
            let dir = try TempDir()
            let path = try dir.write("c.yaml", Configs.standard(backend: "127.0.0.1:9"))
            let run = try ProxyProcess.runToCompletion(arguments: ["run", "--config", path],
                                                       environment: ["OTEL_PROPAGATORS": "b3", "OTEL_TRACES_SAMPLER": "jaeger_remote"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("OTEL_PROPAGATORS: \"b3\" is not supported"))
            #expect(run.stderr.contains("OTEL_TRACES_SAMPLER: \"jaeger_remote\" is not supported"))
            #expect(!run.stderr.contains("Fatal error"))
        }
    }
}
