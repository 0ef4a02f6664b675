// UpstreamHTTP2Configuration+Decoding.swift — reads `clusters[i].http2`.

extension UpstreamHTTP2Configuration {
    static let keys = ["max_concurrent_streams_per_connection"]

    /// Reads `http2:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["max_concurrent_streams_per_connection"]?.int(in: 1...10_000, &diagnostics) {
            maxConcurrentStreamsPerConnection = value
        }
    }
}
