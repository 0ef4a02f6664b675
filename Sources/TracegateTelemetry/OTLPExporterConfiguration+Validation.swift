// OTLPExporterConfiguration+Validation.swift — refusing settings that cannot work.

extension OTLPExporterConfiguration {
    /// Headers the exporter writes itself: letting a configured header repeat one would change the
    /// framing (`Content-Length`), the target (`Host`) or the body's meaning (`Content-Type`).
    static let reservedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "content-type", "connection", "user-agent",
    ]

    /// Checks every setting; the first problem is thrown.
    func validate() throws(OTLPExporterError) {
        if timeout <= .zero { throw .invalidSetting(name: "timeout", reason: "must be positive") }
        if scheduleDelay <= .zero { throw .invalidSetting(name: "scheduleDelay", reason: "must be positive") }
        if maxQueueSize < 1 { throw .invalidSetting(name: "maxQueueSize", reason: "must be at least 1") }
        if maxExportBatchSize < 1 { throw .invalidSetting(name: "maxExportBatchSize", reason: "must be at least 1") }
        if maxExportBatchSize > maxQueueSize {
            throw .invalidSetting(name: "maxExportBatchSize", reason: "must not exceed maxQueueSize (\(maxQueueSize))")
        }
        if retryBackoff < .zero || maxRetryDelay < .zero {
            throw .invalidSetting(name: "retryBackoff", reason: "must not be negative")
        }
        if !version.utf8.allSatisfy(HTTPToken.isTokenByte) && !version.isEmpty {
            throw .invalidSetting(name: "version", reason: "must be an HTTP token (it goes into User-Agent)")
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPToken.isTokenByte) else { throw .invalidHeaderName(name) }
            if Self.reservedHeaders.contains(name.lowercased()) { throw .reservedHeader(name) }
            guard value.utf8.allSatisfy(HTTPToken.isFieldValueByte) else { throw .invalidHeaderValue(name: name) }
        }
    }
}
