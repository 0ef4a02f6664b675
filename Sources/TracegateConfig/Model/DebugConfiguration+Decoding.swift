// DebugConfiguration+Decoding.swift — reads `context.debug`.

extension DebugConfiguration {
    static let keys = ["header", "secret_file", "max_per_second", "redact_headers"]

    /// Reads `debug:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["header"]?.headerName(&diagnostics) { header = value }
        if let value = mapping["secret_file"]?.optionalString(&diagnostics) { secretFile = value }
        if let value = mapping["max_per_second"]?.int(in: 0...100_000, &diagnostics) { maxPerSecond = value }
        if let value = mapping["redact_headers"]?.headerNameList(&diagnostics) { redactHeaders = value }
    }
}
