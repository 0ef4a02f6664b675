// ListenerTLSConfiguration+Decoding.swift — reads `listeners[i].tls`.

extension ListenerTLSConfiguration {
    static let keys = ["certificate_chain", "private_key", "alpn", "min_version", "session_tickets", "sni"]

    /// Reads `tls:`; absent keys keep their defaults. nil when it is not a mapping or a required
    /// key is missing or invalid (reported).
    ///
    /// - Parameter defaultALPN: `alpn` when the key is absent: `[h2, http/1.1]`, or `[http/1.1]`
    ///   when the listener's `http2` is false (an explicit `h2` with `http2: false` is reported by
    ///   `Validation`).
    static func decode(
        _ field: Field,
        defaultALPN: [ALPNProtocol],
        _ files: FilePaths,
        _ diagnostics: inout Diagnostics
    ) -> ListenerTLSConfiguration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let certificate = CertificateFiles.decode(
            required: mapping,
            chain: "certificate_chain",
            key: "private_key",
            files,
            &diagnostics
        )
        var tls = ListenerTLSConfiguration(
            certificate: certificate ?? CertificateFiles(certificateChain: "", privateKey: ""),
            alpn: defaultALPN
        )
        if let value = mapping["alpn"].flatMap({ decodeALPN($0, &diagnostics) }) { tls.alpn = value }
        if let value = mapping["min_version"]?.oneOf(TLSVersion.self, &diagnostics) { tls.minVersion = value }
        if let value = mapping["session_tickets"]?.bool(&diagnostics) { tls.sessionTickets = value }
        if let sniField = mapping["sni"], let items = sniField.sequence(&diagnostics) {
            var seen: [String: ConfigPath] = [:]
            tls.sni = items.compactMap { SNICertificateConfiguration.decode($0, seen: &seen, files, &diagnostics) }
        }
        return certificate == nil ? nil : tls
    }

    /// A non-empty list of ALPN identifiers without duplicates (a repeated identifier in the
    /// ALPN extension is meaningless and hints at a typo).
    private static func decodeALPN(_ field: Field, _ diagnostics: inout Diagnostics) -> [ALPNProtocol]? {
        guard let items = field.sequence(&diagnostics) else { return nil }
        guard !items.isEmpty else {
            field.report("must list at least one protocol", &diagnostics)
            return nil
        }
        let before = diagnostics.count
        var protocols: [ALPNProtocol] = []
        for item in items {
            guard let value = item.oneOf(ALPNProtocol.self, &diagnostics) else { continue }
            if protocols.contains(value) {
                item.report("duplicate protocol \"\(value.rawValue)\"", &diagnostics)
                continue
            }
            protocols.append(value)
        }
        return diagnostics.count == before ? protocols : nil
    }
}
