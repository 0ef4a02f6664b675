// ContextConfiguration+Decoding.swift — reads `context:`.

extension ContextConfiguration {
    static let keys = ["enabled", "sampling_ratio", "sampler", "correlation", "session", "baggage", "sanitize", "debug"]

    /// Reads `context:`; absent keys keep their defaults. The headers Tracegate owns
    /// (correlation header and aliases, session header, debug header) must be distinct, or one
    /// feature would read another's value.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["enabled"]?.bool(&diagnostics) { enabled = value }
        if let value = mapping["sampling_ratio"]?.number(in: 0.0...1.0, &diagnostics) { samplingRatio = value }
        if let value = mapping["sampler"]?.oneOf(SamplerSetting.self, &diagnostics) { sampler = value }
        if let sub = mapping["correlation"] { correlation = CorrelationConfiguration(decoding: sub, &diagnostics) }
        if let sub = mapping["session"] { session = SessionConfiguration(decoding: sub, &diagnostics) }
        if let sub = mapping["baggage"] { baggage = BaggageConfiguration(decoding: sub, &diagnostics) }
        if let sub = mapping["sanitize"] { sanitize = SanitizeConfiguration(decoding: sub, &diagnostics) }
        if let sub = mapping["debug"] { debug = DebugConfiguration(decoding: sub, &diagnostics) }
        checkDistinctHeaders(mapping, &diagnostics)
    }

    private func checkDistinctHeaders(_ mapping: MappingReader, _ diagnostics: inout Diagnostics) {
        let base = mapping.field.path
        var owners: [(header: String, path: ConfigPath)] = [(correlation.header, base.key("correlation").key("header"))]
        owners += correlation.aliases.map { ($0, base.key("correlation").key("aliases")) }
        for (header, section) in [(session.header, "session"), (debug.header, "debug")] {
            let path = base.key(section).key("header")
            if let owner = owners.first(where: { $0.header == header }) {
                let located = mapping[section]?.child("header") ?? mapping[section] ?? mapping.field
                diagnostics.report(path, "header \"\(header)\" is already used by \(owner.path)", at: located.mark)
            }
            owners.append((header, path))
        }
    }
}
