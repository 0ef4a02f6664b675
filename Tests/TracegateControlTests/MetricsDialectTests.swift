// MetricsDialectTests: which Accept headers get OpenMetrics.
import Testing
@testable import TracegateControl

@Suite struct MetricsDialectTests {
    @Test func prometheusTextUnlessOpenMetricsIsAskedFor() {
        #expect(MetricsDialect.negotiate(accept: nil) == .prometheus)
        #expect(MetricsDialect.negotiate(accept: "*/*") == .prometheus)
        #expect(MetricsDialect.negotiate(accept: "text/plain; version=0.0.4") == .prometheus)
        #expect(MetricsDialect.negotiate(accept: "application/json") == .prometheus)
    }

    @Test func openMetricsWhenAskedForWithEnoughQuality() {
        #expect(MetricsDialect.negotiate(accept: "application/openmetrics-text") == .openMetrics)
        #expect(MetricsDialect.negotiate(accept: "Application/OpenMetrics-Text; version=1.0.0") == .openMetrics)
        // Prometheus's own scrape header.
        let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(MetricsDialect.negotiate(accept: prometheus) == .openMetrics)
        #expect(MetricsDialect.negotiate(accept: "text/plain, application/openmetrics-text;q=0.5") == .prometheus)
        #expect(MetricsDialect.negotiate(accept: "application/openmetrics-text;q=0") == .prometheus)
        #expect(MetricsDialect.negotiate(accept: "application/openmetrics-text;version=2.0.0") == .prometheus)
    }

    @Test func contentTypesNameTheirVersions() {
        #expect(MetricsDialect.prometheus.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(MetricsDialect.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }
}
