// UpstreamTLSConfiguration+Decoding.swift — reads `clusters[i].tls`.

extension UpstreamTLSConfiguration {
    static let keys = ["ca_file", "verify", "server_name", "client_certificate_chain", "client_private_key"]

    /// Reads `tls:`; absent keys keep their defaults (`ca_file: null` is the default, the system
    /// store). `ca_file` with `verify: false` is refused: nothing would be verified against it,
    /// and the pair usually means verification was switched off to debug and left off.
    init(decoding field: Field, _ files: FilePaths, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        let caField = mapping["ca_file"].flatMap { $0.isNull ? nil : $0 }
        if let value = caField?.readableFile(files, &diagnostics) { caFile = value }
        if let value = mapping["verify"]?.bool(&diagnostics) { verify = value }
        if let value = mapping["server_name"]?.validated(&diagnostics, Self.checkServerName) { serverName = value }
        clientCertificate = CertificateFiles.decode(
            optional: mapping,
            chain: "client_certificate_chain",
            key: "client_private_key",
            files,
            &diagnostics
        )
        if !verify, let caField {
            caField.report("has no effect with verify: false (remove it, or verify the server)", &diagnostics)
        }
    }

    /// A DNS name (RFC 1123 labels, `_` allowed like endpoints), lowercased, one trailing dot
    /// dropped. IP addresses are refused: SNI cannot carry them (RFC 6066 §3), and an IP
    /// endpoint without `server_name` is already verified against its address.
    static func checkServerName(_ text: String) throws(ValueSyntaxError) -> String {
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        if IPAddressText.parseIPv4(bare) != nil || IPAddressText.parseIPv6(bare) != nil {
            throw ValueSyntaxError(
                "\"\(text)\" is an IP address: SNI carries DNS names only (RFC 6066 §3); "
                    + "leave server_name out to verify IP endpoints against their address"
            )
        }
        guard !text.contains(":"),
            let host = try? SocketAddressSpec.parseChecked(text + ":1", allowHostnames: true, ports: 1...1),
            !host.isIPv4Literal
        else {
            throw ValueSyntaxError("invalid server name \"\(text)\": expected a DNS name")
        }
        return host.host.hasSuffix(".") ? String(host.host.dropLast()) : host.host
    }
}
