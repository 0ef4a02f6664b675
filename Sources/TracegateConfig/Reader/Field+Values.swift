// Field+Values.swift — typed readers for Tracegate's own value syntaxes.

extension Field {
    /// A listener or admin address: IPv4 literal, `[IPv6]` literal or `localhost`, port 0-65535.
    func listenAddress(_ diagnostics: inout Diagnostics) -> SocketAddressSpec? {
        validated(&diagnostics) { (text: String) throws(ValueSyntaxError) in
            try SocketAddressSpec.parseChecked(text, allowHostnames: false, ports: 0...65535)
        }
    }

    /// An upstream endpoint: like a listen address but hostnames allowed, port 1-65535.
    func endpointAddress(_ diagnostics: inout Diagnostics) -> SocketAddressSpec? {
        validated(&diagnostics) { (text: String) throws(ValueSyntaxError) in
            try SocketAddressSpec.parseChecked(text, allowHostnames: true, ports: 1...65535)
        }
    }

    /// A CIDR block such as `10.0.0.0/8` or `::1/128`.
    func cidr(_ diagnostics: inout Diagnostics) -> CIDRBlock? {
        validated(&diagnostics) { (text: String) throws(ValueSyntaxError) in
            try CIDRBlock.parseChecked(text)
        }
    }

    /// A header name (RFC 9110 token), returned lowercased.
    func headerName(_ diagnostics: inout Diagnostics) -> String? {
        validated(&diagnostics) { (text: String) throws(ValueSyntaxError) in
            try HeaderName.validate(text)
        }
    }

    /// A list of header names, lowercased; duplicates are reported.
    func headerNameList(_ diagnostics: inout Diagnostics) -> [String]? {
        guard let fields = sequence(&diagnostics) else { return nil }
        let before = diagnostics.count
        var names: [String] = []
        for field in fields {
            guard let name = field.headerName(&diagnostics) else { continue }
            if names.contains(name) {
                field.report("duplicate header name \"\(name)\"", &diagnostics)
                continue
            }
            names.append(name)
        }
        return diagnostics.count == before ? names : nil
    }

    /// A list of non-empty strings, optionally lowercased.
    func stringList(lowercased: Bool, _ diagnostics: inout Diagnostics) -> [String]? {
        list(&diagnostics) { field, diagnostics in
            field.nonEmptyString(&diagnostics).map { lowercased ? $0.lowercased() : $0 }
        }
    }

    /// A mapping of string keys to scalar values read as text (`version: 2` reads as "2"), for
    /// free-form attribute and header maps.
    func stringMap(_ diagnostics: inout Diagnostics) -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            report("expected a mapping", &diagnostics)
            return nil
        }
        let before = diagnostics.count
        var out: [String: String] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode, !key.string.isEmpty else {
                diagnostics.report(path, "mapping keys must be non-empty strings", at: keyNode.mark)
                continue
            }
            if let text = Field(node: value, path: path.key(key.string)).string(&diagnostics) { out[key.string] = text }
        }
        return diagnostics.count == before ? out : nil
    }
}
