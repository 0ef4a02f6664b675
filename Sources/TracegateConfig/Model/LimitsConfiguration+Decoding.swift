// LimitsConfiguration+Decoding.swift — reads `limits:`.

extension LimitsConfiguration {
    static let keys = [
        "max_header_bytes", "max_header_count", "max_uri_length", "max_request_body_bytes", "max_connections",
        "http2",
    ]

    /// Reads `limits:`; absent keys keep their defaults. The URI must fit in the head, so
    /// `max_uri_length < max_header_bytes`. `http2.max_header_list_size` defaults to
    /// `max_header_bytes`, wherever `http2` is written.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        let headerBytes = mapping["max_header_bytes"].map { $0.size(in: 1_024...1_048_576, &diagnostics) }
        let uriLength = mapping["max_uri_length"].map { $0.size(in: 16...65_536, &diagnostics) }
        if let value = headerBytes ?? nil { maxHeaderBytes = value }
        if let value = uriLength ?? nil { maxURILength = value }
        if let value = mapping["max_header_count"]?.int(in: 1...1_000, &diagnostics) { maxHeaderCount = value }
        if let value = mapping["max_request_body_bytes"]?.size(in: 0...Int.max, &diagnostics) {
            maxRequestBodyBytes = value
        }
        if let value = mapping["max_connections"]?.int(in: 1...1_000_000, &diagnostics) { maxConnections = value }
        http2 = HTTP2LimitsConfiguration(maxHeaderListSize: maxHeaderBytes)
        if let http2Field = mapping["http2"] {
            http2 = HTTP2LimitsConfiguration(decoding: http2Field, maxHeaderBytes: maxHeaderBytes, &diagnostics)
        }
        let bothValid = (headerBytes.map { $0 != nil } ?? true) && (uriLength.map { $0 != nil } ?? true)
        if bothValid, maxURILength >= maxHeaderBytes {
            let reason = "must be less than max_header_bytes (\(maxURILength) >= \(maxHeaderBytes))"
            if let uriField = mapping["max_uri_length"] {
                uriField.report(reason, &diagnostics)
            } else {
                diagnostics.report(field.path.key("max_uri_length"), reason, at: mapping["max_header_bytes"]?.mark)
            }
        }
    }
}
