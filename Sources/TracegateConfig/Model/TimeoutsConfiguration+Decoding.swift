// TimeoutsConfiguration+Decoding.swift — reads `timeouts:`.

extension TimeoutsConfiguration {
    static let keys = ["header_read", "keepalive_idle", "upstream_response", "tunnel_idle", "drain"]
    static let maximum = Duration.seconds(86_400)

    /// Reads `timeouts:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["header_read"]?.duration(max: Self.maximum, &diagnostics) { headerRead = value }
        if let value = mapping["keepalive_idle"]?.duration(max: Self.maximum, &diagnostics) { keepaliveIdle = value }
        if let value = mapping["upstream_response"]?.duration(max: Self.maximum, &diagnostics) {
            upstreamResponse = value
        }
        if let value = mapping["tunnel_idle"]?.duration(max: Self.maximum, &diagnostics) { tunnelIdle = value }
        if let value = mapping["drain"]?.duration(max: Self.maximum, allowZero: true, &diagnostics) { drain = value }
    }
}
