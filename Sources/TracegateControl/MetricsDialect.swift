// MetricsDialect: which exposition format a scrape asked for.
import Foundation

/// The two text formats `/metrics` speaks: Prometheus text 0.0.4 (the default, what `curl` and
/// older scrapers get) and OpenMetrics 1.0.0, the only one that carries exemplars.
enum MetricsDialect: Sendable, Equatable {
    case prometheus
    case openMetrics

    var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// OpenMetrics when the `Accept` header lists `application/openmetrics-text` (version 1.0.0,
    /// 0.0.1 or none) with a quality at least that of `text/plain` or a wildcard; otherwise
    /// Prometheus text. Prometheus's own scrape header (OpenMetrics first, `text/plain;q=0.5`)
    /// therefore gets OpenMetrics, and a header without it gets text.
    static func negotiate(accept: String?) -> MetricsDialect {
        guard let accept else { return .prometheus }
        var openMetrics = 0.0
        var text = 0.0
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            var quality = 1.0
            var version: String?
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                if pair[0] == "q" { quality = min(max(Double(pair[1]) ?? 0, 0), 1) }
                if pair[0] == "version" { version = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            switch type {
            case "application/openmetrics-text":
                if version == nil || version == "1.0.0" || version == "0.0.1" { openMetrics = max(openMetrics, quality) }
            case "text/plain", "text/*", "*/*":
                text = max(text, quality)
            default:
                continue
            }
        }
        return openMetrics > 0 && openMetrics >= text ? .openMetrics : .prometheus
    }
}
