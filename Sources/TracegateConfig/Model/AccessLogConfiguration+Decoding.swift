// AccessLogConfiguration+Decoding.swift — reads `access_log:`.

extension AccessLogConfiguration {
    static let keys = ["enabled"]

    /// Reads `access_log:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["enabled"]?.bool(&diagnostics) { enabled = value }
    }
}
