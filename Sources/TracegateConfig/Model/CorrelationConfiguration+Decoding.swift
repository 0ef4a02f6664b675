// CorrelationConfiguration+Decoding.swift — reads `context.correlation`.

extension CorrelationConfiguration {
    static let keys = ["header", "aliases", "generate", "max_length"]

    /// Reads `correlation:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["header"]?.headerName(&diagnostics) { header = value }
        if let aliasesField = mapping["aliases"], let value = aliasesField.headerNameList(&diagnostics) {
            if value.contains(header) {
                aliasesField.report("must not contain the correlation header \"\(header)\" itself", &diagnostics)
            } else {
                aliases = value
            }
        }
        let generateValue = mapping["generate"].map { $0.oneOf(CorrelationIDGenerator.self, &diagnostics) }
        if let value = generateValue ?? nil { generate = value }
        let lengthValue = mapping["max_length"].map { $0.int(in: 1...1_024, &diagnostics) }
        if let value = lengthValue ?? nil { maxLength = value }
        let bothValid = (generateValue.map { $0 != nil } ?? true) && (lengthValue.map { $0 != nil } ?? true)
        if bothValid, maxLength < generate.generatedLength {
            let reason = "must be at least \(generate.generatedLength) to hold generated \(generate.rawValue) ids"
            let located = mapping["max_length"] ?? mapping["generate"] ?? field
            diagnostics.report(field.path.key("max_length"), reason, at: located.mark)
        }
    }
}
