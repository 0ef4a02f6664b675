// AdminConfiguration+Decoding.swift — reads `admin:`.

extension AdminConfiguration {
    static let keys = ["address", "request_history"]

    /// Reads `admin:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["address"]?.listenAddress(&diagnostics) { address = value }
        if let value = mapping["request_history"]?.int(in: 1...1_000_000, &diagnostics) { requestHistory = value }
    }
}
