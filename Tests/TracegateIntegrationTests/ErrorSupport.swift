// ErrorSupport: checking Tracegate's own JSON error responses and the counters behind them.
import Foundation
import Testing
import TracegateTestSupport

enum ProxyErrors {
    /// Checks a Tracegate error response: `status`, JSON `{"error","status","message","correlation_id"}`
    /// with `code`, and the body's correlation id equal to the `X-Correlation-ID` header (and to
    /// `sentCorrelationID` when the request carried one). Returns the correlation id.
    @discardableResult
    static func check(
        _ response: RawResponse?, status: Int, code: String, sentCorrelationID: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        guard let response else {
            Issue.record("no response where \(status) \(code) was expected", sourceLocation: sourceLocation)
            return nil
        }
        #expect(response.status == status, "\(response.rawHead)\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        guard let body = response.json else {
            Issue.record("error body is not JSON: \(response.bodyText)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(body["error"] as? String == code, "\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(body["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(!((body["message"] as? String) ?? "").isEmpty, sourceLocation: sourceLocation)
        let header = response.header("X-Correlation-ID")
        let inBody = body["correlation_id"] as? String
        #expect(header != nil && !(header ?? "").isEmpty, "no X-Correlation-ID on a \(code) error: \(response.rawHead)",
                sourceLocation: sourceLocation)
        #expect(inBody == header, "body correlation_id \(inBody ?? "nil") ≠ header \(header ?? "nil")", sourceLocation: sourceLocation)
        if let sentCorrelationID {
            #expect(header == sentCorrelationID, sourceLocation: sourceLocation)
        }
        return header
    }

    /// Expects `/metrics` to count `code` in `tracegate_errors_total{error="<code>"}` (ErrorResponder:
    /// "clients, logs and metrics see the same code").
    static func expectCounted(_ proxy: ProxyProcess, code: String, atLeast count: Double = 1,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let metrics = try Admin.metrics(proxy) { $0.value("tracegate_errors_total", "error=\"\(code)\"").map { $0 >= count } ?? true }
        let value = metrics.value("tracegate_errors_total", "error=\"\(code)\"")
        let known = metrics.samples.keys.filter { $0.hasPrefix("tracegate_errors_total") }.sorted().joined(separator: ", ")
        let shown = value.map { "\($0)" } ?? "absent"
        #expect((value ?? 0) >= count, "tracegate_errors_total{error=\"\(code)\"} is \(shown); samples: \(known)",
                sourceLocation: sourceLocation)
    }

    /// Expects `tracegate_upstream_failures_total{kind="<kind>"}` to have counted the failure.
    static func expectUpstreamFailure(_ proxy: ProxyProcess, kind: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let metrics = try Admin.metrics(proxy) { $0.value("tracegate_upstream_failures_total", "kind=\"\(kind)\"").map { $0 >= 1 } ?? true }
        let value = metrics.value("tracegate_upstream_failures_total", "kind=\"\(kind)\"")
        #expect((value ?? 0) >= 1, "tracegate_upstream_failures_total{kind=\"\(kind)\"} is \(value.map { "\($0)" } ?? "absent")",
                sourceLocation: sourceLocation)
    }

    /// Expects the access-log line of the request with `correlationID` to carry `status` and `error`.
    static func expectLogged(_ proxy: ProxyProcess, correlationID: String?, status: Int, code: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        guard let correlationID else { return }
        let entry = AccessLogs.entry(proxy, correlationID: correlationID)
        #expect(entry != nil, "no access-log line with correlation_id \(correlationID)", sourceLocation: sourceLocation)
        #expect(entry?["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(entry?["error"] as? String == code, sourceLocation: sourceLocation)
    }

    /// Whether the proxy closes the connection within `timeout` after its response.
    static func expectClosed(_ client: RawHTTPClient, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(client.isClosedByPeer(timeout: .seconds(5)), "the proxy left the connection open", sourceLocation: sourceLocation)
    }
}
