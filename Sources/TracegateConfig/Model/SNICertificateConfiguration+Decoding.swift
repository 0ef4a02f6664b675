// SNICertificateConfiguration+Decoding.swift — reads `listeners[i].tls.sni[j]`.

extension SNICertificateConfiguration {
    static let keys = ["server_names", "certificate_chain", "private_key"]

    /// Reads one SNI entry; nil when anything required is missing or invalid (reported).
    ///
    /// - Parameter seen: the server names of the listener's earlier entries and where they were
    ///   written; a name given twice would make the second certificate unreachable (or the choice
    ///   depend on order), so it is reported at its second use.
    static func decode(
        _ field: Field,
        seen: inout [String: ConfigPath],
        _ files: FilePaths,
        _ diagnostics: inout Diagnostics
    ) -> SNICertificateConfiguration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        var names: [HostMatch] = []
        if let namesField = mapping.required("server_names", &diagnostics),
            let items = namesField.sequence(&diagnostics)
        {
            if items.isEmpty { namesField.report("at least one server name is required", &diagnostics) }
            for item in items {
                guard let name = item.validated(&diagnostics, checkServerName) else { continue }
                if let first = seen[name.description] {
                    item.report("duplicate server name \"\(name)\" (first used by \(first))", &diagnostics)
                    continue
                }
                seen[name.description] = item.path
                names.append(name)
            }
        }
        let certificate = CertificateFiles.decode(
            required: mapping,
            chain: "certificate_chain",
            key: "private_key",
            files,
            &diagnostics
        )
        guard diagnostics.count == before, let certificate else { return nil }
        return SNICertificateConfiguration(serverNames: names, certificate: certificate)
    }

    /// A server name as routes write hosts (`api.example.com`, `*.example.com`), but only DNS
    /// names: SNI never carries an IP address (RFC 6066 §3), and `*` would shadow the listener's
    /// own certificate, which already serves every name no entry matches.
    static func checkServerName(_ text: String) throws(ValueSyntaxError) -> HostMatch {
        let name = try HostMatch.parseChecked(text)
        switch name {
        case .any:
            throw ValueSyntaxError(
                "\"*\" is not a server name: the listener's certificate_chain already serves names no sni entry matches"
            )
        case .exact(let host):
            if host.hasPrefix("[") || IPAddressText.parseIPv4(host) != nil {
                throw ValueSyntaxError("\"\(text)\" is an IP address: TLS SNI carries DNS names only (RFC 6066 §3)")
            }
            return name
        case .suffix:
            return name
        }
    }
}
