// ListenerConfiguration+Decoding.swift — reads `listeners[i]`.

extension ListenerConfiguration {
    static let keys = ["name", "address", "trusted_cidrs", "untrusted_traceparent", "traceresponse", "tls", "http2"]

    /// Reads one listener; nil when it is not a mapping or has no valid address (reported).
    /// - Parameter files: resolves and checks the TLS certificate and key paths.
    static func decode(
        _ field: Field,
        index: Int,
        _ files: FilePaths,
        _ diagnostics: inout Diagnostics
    ) -> Decoded<Self>? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let name = mapping["name"]?.nonEmptyString(&diagnostics) ?? "listener-\(index)"
        let address = mapping.required("address", &diagnostics)?.listenAddress(&diagnostics)
        var listener = ListenerConfiguration(
            name: name,
            address: address ?? SocketAddressSpec(host: "127.0.0.1", port: 0)
        )
        if let value = mapping["trusted_cidrs"]?.list(&diagnostics, item: { $0.cidr(&$1) }) {
            listener.trustedCIDRs = value
        }
        if let value = mapping["untrusted_traceparent"]?.oneOf(UntrustedTraceparentPolicy.self, &diagnostics) {
            listener.untrustedTraceparent = value
        }
        if let value = mapping["traceresponse"]?.oneOf(TraceresponsePolicy.self, &diagnostics) {
            listener.traceresponse = value
        }
        if let value = mapping["http2"]?.bool(&diagnostics) { listener.http2 = value }
        if let tlsField = mapping["tls"] {
            let defaultALPN: [ALPNProtocol] = listener.http2 ? [.h2, .http11] : [.http11]
            listener.tls = ListenerTLSConfiguration.decode(tlsField, defaultALPN: defaultALPN, files, &diagnostics)
        }
        return address == nil ? nil : Decoded(value: listener, mapping: mapping)
    }
}
