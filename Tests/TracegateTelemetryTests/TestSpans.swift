import Glibc
import TracegateContext
import TracegateTelemetry

/// Spans and exporter settings shared by the telemetry tests.
enum TestSpans {
    static let resource = TelemetryResource(
        attributes: [.string("service.name", "tracegate"), .string("service.instance.id", "test-1")],
        scopeName: "tracegate.proxy",
        scopeVersion: "0.9.0"
    )

    /// A server span with every optional part filled in; `n` varies the ids and times.
    static func full(_ n: UInt64) -> SpanData {
        SpanData(
            traceID: TraceID(hi: 0x0102_0304_0506_0708 &+ n, lo: 0x090A_0B0C_0D0E_0F10 &* (n + 1)),
            spanID: SpanID(0xA1B2_C3D4_E5F6_0718 &+ n),
            parentSpanID: SpanID(0x1122_3344_5566_7788 &+ n),
            traceState: "vendor=abc,tg=\(n)",
            sampledFlag: true,
            parentIsRemote: true,
            name: "GET /items/{id}",
            kind: .server,
            startUnixNanos: 1_700_000_000_000_000_000 + n * 1000,
            endUnixNanos: 1_700_000_000_250_000_000 + n * 1000,
            attributes: [
                .string("http.request.method", "GET"),
                .int("http.response.status_code", 503),
                .bool("tracegate.retried", true),
                .double("tracegate.upstream.seconds", 0.125),
                .int("tracegate.index", Int64(n)),
            ],
            events: [
                SpanEvent(
                    name: "upstream.connected",
                    timeUnixNanos: 1_700_000_000_010_000_000,
                    attributes: [.string("server.address", "10.0.0.7")]
                )
            ],
            links: [
                SpanLinkData(
                    traceID: TraceID(hi: 0xFFEE_DDCC_BBAA_9988, lo: 0x7766_5544_3322_1100),
                    spanID: SpanID(0x0F0E_0D0C_0B0A_0908),
                    traceState: "other=1",
                    sampledFlag: false,
                    isRemote: true,
                    attributes: [.string("link.reason", "restarted")]
                )
            ],
            status: .error(message: "upstream answered 503")
        )
    }

    /// A small root span.
    static func simple(_ n: UInt64) -> SpanData {
        SpanData(
            traceID: TraceID(hi: 0xABCD_0000_0000_0000 | n, lo: 0x1234_0000_0000_0000 | n),
            spanID: SpanID(0x5555_0000_0000_0000 | (n + 1)),
            name: "span \(n)",
            kind: .client,
            startUnixNanos: 1_000 + n,
            endUnixNanos: 2_000 + n,
            attributes: [.int("n", Int64(n))]
        )
    }

    static func configuration(
        _ endpoint: String,
        headers: [(String, String)] = [],
        timeout: Duration = .seconds(2),
        maxQueueSize: Int = 2048,
        maxExportBatchSize: Int = 512,
        scheduleDelay: Duration = .milliseconds(20),
        retryBackoff: Duration = .milliseconds(50),
        maxRetryDelay: Duration = .seconds(5)
    ) throws -> OTLPExporterConfiguration {
        OTLPExporterConfiguration(
            endpoint: try testEndpoint(endpoint),
            resource: resource,
            version: "1.2.3-test",
            headers: headers,
            timeout: timeout,
            maxQueueSize: maxQueueSize,
            maxExportBatchSize: maxExportBatchSize,
            scheduleDelay: scheduleDelay,
            retryBackoff: retryBackoff,
            maxRetryDelay: maxRetryDelay
        )
    }
}

/// Waits for a condition that nothing signals (exporter counters), checking every 5 ms.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

extension OTLPExporterStatistics {
    func dropped(_ reason: SpanDropReason) -> UInt64 { spansDropped[reason] ?? 0 }
}

/// `http://127.0.0.1:PORT/path` (test receivers, closed ports) or `http://NAME:PORT` as an endpoint;
/// URL parsing itself is the configuration's job and is tested there.
func testEndpoint(_ url: String) throws -> OTLPEndpoint {
    let rest = url.dropFirst("http://127.0.0.1:".count)
    let slash = rest.firstIndex(of: "/") ?? rest.endIndex
    guard url.hasPrefix("http://127.0.0.1:"), let port = UInt16(rest[..<slash]) else {
        // A DNS name, for the resolution-failure test: http://NAME:PORT
        let hostPort = url.dropFirst("http://".count).split(separator: ":")
        guard url.hasPrefix("http://"), hostPort.count == 2, let port = UInt16(hostPort[1]) else { throw TestEndpointError(url: url) }
        return OTLPEndpoint(host: .name(String(hostPort[0])), port: port)
    }
    return OTLPEndpoint(host: .ipv4("127.0.0.1"), port: port, path: slash < rest.endIndex ? String(rest[slash...]) : "/v1/traces")
}

struct TestEndpointError: Error { var url: String }
