import Testing

@testable import TracegateTelemetry

/// Settings validation.
@Suite struct OTLPExporterConfigurationTests {
    @Test func defaultsAreTheBatchProcessorDefaults() throws {
        let configuration = OTLPExporterConfiguration(
            endpoint: OTLPEndpoint(host: .ipv4("127.0.0.1"), port: 4318),
            version: "1.0.0"
        )
        #expect(configuration.timeout == .seconds(10))
        #expect(configuration.maxQueueSize == 2048)
        #expect(configuration.maxExportBatchSize == 512)
        #expect(configuration.scheduleDelay == .seconds(1))
        #expect(throws: Never.self) { try configuration.validate() }
    }

    @Test func refusesHeadersThatWouldBreakTheRequest() throws {
        #expect(throws: OTLPExporterError.reservedHeader("Content-Type")) {
            try TestSpans.configuration("http://127.0.0.1:1", headers: [("Content-Type", "text/plain")]).validate()
        }
        #expect(throws: OTLPExporterError.reservedHeader("host")) {
            try TestSpans.configuration("http://127.0.0.1:1", headers: [("host", "x")]).validate()
        }
        #expect(throws: OTLPExporterError.invalidHeaderName("bad name")) {
            try TestSpans.configuration("http://127.0.0.1:1", headers: [("bad name", "x")]).validate()
        }
        #expect(throws: OTLPExporterError.invalidHeaderValue(name: "x-a")) {
            try TestSpans.configuration("http://127.0.0.1:1", headers: [("x-a", "v\r\nInjected: 1")]).validate()
        }
    }

    @Test func refusesImpossibleSizesAndDurations() throws {
        #expect(throws: OTLPExporterError.self) {
            try TestSpans.configuration("http://127.0.0.1:1", maxQueueSize: 10, maxExportBatchSize: 11).validate()
        }
        #expect(throws: OTLPExporterError.self) {
            try TestSpans.configuration("http://127.0.0.1:1", maxExportBatchSize: 0).validate()
        }
        #expect(throws: OTLPExporterError.self) {
            try TestSpans.configuration("http://127.0.0.1:1", timeout: .zero).validate()
        }
        #expect(throws: OTLPExporterError.self) {
            try TestSpans.configuration("http://127.0.0.1:1", scheduleDelay: .zero).validate()
        }
        // The exporter refuses to start with them, rather than failing later.
        #expect(throws: OTLPExporterError.self) {
            _ = try OTLPExporter(configuration: TestSpans.configuration("http://127.0.0.1:1", maxQueueSize: 0))
        }
    }
}
