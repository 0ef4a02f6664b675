// SanitizeConfiguration+Decoding.swift — reads `context.sanitize`.

extension SanitizeConfiguration {
    static let keys = ["strip_headers", "strip_prefixes"]

    /// Reads `sanitize:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["strip_headers"]?.headerNameList(&diagnostics) { stripHeaders = value }
        if let value = mapping["strip_prefixes"]?.list(
            &diagnostics,
            item: { item, diagnostics in
                item.validated(&diagnostics) { (text: String) throws(ValueSyntaxError) in
                    try HeaderName.validate(text, what: "header prefix")
                }
            }
        ) {
            stripPrefixes = value
        }
    }
}
