// BaggageConfiguration+Decoding.swift — reads `context.baggage`.

extension BaggageConfiguration {
    static let keys = ["max_members", "max_bytes", "untrusted_allowed_keys", "redact_key_patterns"]

    /// Reads `baggage:`; absent keys keep their defaults.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["max_members"]?.int(in: 1...1_024, &diagnostics) { maxMembers = value }
        if let value = mapping["max_bytes"]?.size(in: 1...65_536, &diagnostics) { maxBytes = value }
        if let value = mapping["untrusted_allowed_keys"]?.list(
            &diagnostics,
            item: { item, diagnostics in
                item.validated(&diagnostics) { (text: String) throws(ValueSyntaxError) in
                    guard HeaderName.isToken(text) else {
                        throw ValueSyntaxError("invalid baggage key \"\(text)\": must be an RFC 9110 token")
                    }
                    return text
                }
            }
        ) {
            untrustedAllowedKeys = value
        }
        if let value = mapping["redact_key_patterns"]?.stringList(lowercased: true, &diagnostics) {
            redactKeyPatterns = value
        }
    }
}
