// CertificateFiles+Decoding.swift — reads a certificate/key pair out of a `tls:` mapping.

extension CertificateFiles {
    /// Reads the pair `chainKey`/`keyKey` of `mapping`, both required (a listener's or an SNI
    /// entry's certificate). Both are read and checked even when one is missing, so every problem
    /// is reported; nil when either is missing or unreadable.
    static func decode(
        required mapping: MappingReader,
        chain chainKey: String,
        key keyKey: String,
        _ files: FilePaths,
        _ diagnostics: inout Diagnostics
    ) -> CertificateFiles? {
        let chain = mapping.required(chainKey, &diagnostics)?.readableFile(files, &diagnostics)
        let key = mapping.required(keyKey, &diagnostics)?.readableFile(files, &diagnostics)
        guard let chain, let key else { return nil }
        return CertificateFiles(certificateChain: chain, privateKey: key)
    }

    /// Reads the pair `chainKey`/`keyKey` of `mapping`, both or neither (a cluster's client
    /// certificate); one without the other is reported at the missing key. nil when absent or
    /// invalid (reported).
    static func decode(
        optional mapping: MappingReader,
        chain chainKey: String,
        key keyKey: String,
        _ files: FilePaths,
        _ diagnostics: inout Diagnostics
    ) -> CertificateFiles? {
        let chainField = mapping[chainKey]
        let keyField = mapping[keyKey]
        let chain = chainField?.readableFile(files, &diagnostics)
        let key = keyField?.readableFile(files, &diagnostics)
        switch (chainField, keyField) {
        case (nil, nil):
            return nil
        case (let present?, nil):
            diagnostics.report(mapping.field.path.key(keyKey), "required when \(chainKey) is set", at: present.mark)
            return nil
        case (nil, let present?):
            diagnostics.report(mapping.field.path.key(chainKey), "required when \(keyKey) is set", at: present.mark)
            return nil
        case (.some, .some):
            guard let chain, let key else { return nil }
            return CertificateFiles(certificateChain: chain, privateKey: key)
        }
    }
}
