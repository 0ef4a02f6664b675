// AdminConfiguration+Decoding.swift — reads `admin:`.

extension AdminConfiguration {
    static let keys = ["address"]

    /// Reads `admin:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["address"]?.listenAddress(&diagnostics) { address = value }
    }
}
