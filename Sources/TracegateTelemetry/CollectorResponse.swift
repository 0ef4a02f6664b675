// CollectorResponse.swift — what the collector answered, and what that means for the batch.
import SwiftProtobuf

/// The parts of a collector's HTTP answer the exporter acts on.
struct CollectorResponse: Sendable {
    var status: Int
    var reason: String
    /// `Retry-After` in whole seconds; the HTTP-date form is ignored (collectors send seconds).
    var retryAfterSeconds: Int?
    var body: [UInt8]

    /// What to do with the batch.
    enum Verdict: Equatable {
        /// Accepted; `rejected` spans of it were refused by the collector (`partial_success`).
        case accepted(rejected: Int, message: String)
        /// Worth one retry after the given delay (nil: the exporter's own backoff).
        case retry(after: Duration?)
        case failed
    }

    /// The OTLP/HTTP rules: 2xx is success, 429/502/503/504 are transient (retry, honouring
    /// `Retry-After`), every other status is permanent for this batch.
    func verdict(batchSize: Int) -> Verdict {
        switch status {
        case 200..<300:
            let partial = partialSuccess()
            let rejected = Int(clamping: max(0, min(Int64(batchSize), partial?.rejectedSpans ?? 0)))
            return .accepted(rejected: rejected, message: partial?.errorMessage ?? "")
        case 429, 502, 503, 504:
            return .retry(after: retryAfterSeconds.map { .seconds($0) })
        default:
            return .failed
        }
    }

    /// The decoded `partial_success`, if the body is a protobuf response carrying one. A body that
    /// does not decode (JSON, HTML from a proxy in between) is not an error: 2xx already says the
    /// spans were accepted.
    func partialSuccess() -> OTLPProto.ExportResponse.PartialSuccess? {
        guard !body.isEmpty, let response = try? OTLPProto.ExportResponse(serializedBytes: body),
            response.hasPartialSuccess
        else { return nil }
        return response.partialSuccess
    }

    /// A one-line description for `lastError`: status, reason and the start of a text body.
    var summary: String {
        var text = "collector answered \(status)"
        if !reason.isEmpty { text += " \(reason)" }
        let printable = body.prefix(200).allSatisfy {
            $0 == 0x09 || ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D
        }
        if printable && !body.isEmpty {
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
                .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            text += ": \(snippet)"
        }
        return text
    }
}

extension OTLPProto.ExportResponse {
    typealias PartialSuccess = Opentelemetry_Proto_Collector_Trace_V1_ExportTracePartialSuccess
}
