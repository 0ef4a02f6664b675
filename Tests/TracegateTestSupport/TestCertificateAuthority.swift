import Foundation

/// A throw-away certificate authority for TLS tests, driven through the real `openssl`
/// command (so the test-support library needs no OpenSSL binding of its own).
///
/// Everything lives in one private temporary directory that disappears with the value: the
/// CA's key and certificate, and every certificate issued. Keys are EC P-256 and certificates
/// carry the extensions a strict verifier expects (RFC 5280 §4.2): the CA is
/// `basicConstraints=critical,CA:TRUE,pathlen:0` with `keyUsage=keyCertSign,cRLSign`; leaves are
/// `CA:FALSE`, `keyUsage=digitalSignature`, `extendedKeyUsage=serverAuth` or `clientAuth`, a
/// `subjectAltName` (servers) and subject/authority key identifiers. Certificates are valid for
/// two days from now.
public final class TestCertificateAuthority: Sendable {
    /// The directory that holds every file.
    public let directory: TempDir
    /// The CA certificate (PEM): the trust anchor to give clients (`curl --cacert`).
    public let certificateFile: String
    /// The CA private key (PEM).
    public let privateKeyFile: String
    /// The CA's subject common name.
    public let commonName: String

    /// Creates the CA key and self-signed certificate.
    /// - Throws: `toolMissing` without `openssl`; `fixtureFailed` with openssl's stderr when a
    ///   command fails.
    public init(commonName: String = "Tracegate Test CA") throws(TestSupportError) {
        try Self.validate(commonName: commonName)
        directory = try TempDir(prefix: "ca")
        self.commonName = commonName
        certificateFile = directory.file("ca.crt")
        privateKeyFile = directory.file("ca.key")
        let config = try Self.writeConfig(
            in: directory,
            name: "ca",
            extensions: [
                "basicConstraints = critical, CA:TRUE, pathlen:0",
                "keyUsage = critical, keyCertSign, cRLSign",
                "subjectKeyIdentifier = hash",
            ]
        )
        try Self.generateKey(privateKeyFile)
        try Self.openssl([
            "req", "-x509", "-new", "-config", config, "-extensions", "v3", "-key", privateKeyFile,
            "-subj", "/CN=\(commonName)", "-days", "2", "-sha256", "-out", certificateFile,
        ])
    }

    /// Issues a server certificate signed by this CA.
    /// - Parameters:
    ///   - name: file name stem: `<name>.crt`, `<name>.key` (an earlier one is overwritten).
    ///   - commonName: subject CN; the first DNS name (or "localhost") when `nil`.
    ///   - dnsNames: DNS subjectAltNames (wildcards like "*.example.com" allowed).
    ///   - ipAddresses: IP subjectAltNames.
    public func issueServerCertificate(
        name: String = "server",
        commonName: String? = nil,
        dnsNames: [String] = ["localhost"],
        ipAddresses: [String] = ["127.0.0.1"]
    ) throws(TestSupportError) -> IssuedCertificate {
        let alternativeNames = dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        guard !alternativeNames.isEmpty else {
            throw .fixtureFailed(
                name: "TestCertificateAuthority",
                detail: "a server certificate needs at least one DNS name or IP address"
            )
        }
        var extensions = [
            "basicConstraints = critical, CA:FALSE",
            "keyUsage = critical, digitalSignature",
            "extendedKeyUsage = serverAuth",
            "subjectAltName = " + alternativeNames.joined(separator: ", "),
        ]
        extensions += Self.identifierExtensions
        return try issue(name: name, commonName: commonName ?? dnsNames.first ?? "localhost", extensions: extensions)
    }

    /// Issues a client certificate (extendedKeyUsage clientAuth) signed by this CA.
    public func issueClientCertificate(
        name: String = "client",
        commonName: String = "tracegate-test-client"
    ) throws(TestSupportError) -> IssuedCertificate {
        let extensions =
            [
                "basicConstraints = critical, CA:FALSE",
                "keyUsage = critical, digitalSignature",
                "extendedKeyUsage = clientAuth",
            ] + Self.identifierExtensions
        return try issue(name: name, commonName: commonName, extensions: extensions)
    }

    static let identifierExtensions = ["subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid:always"]

    /// Key, CSR, then the CA signs it with `extensions`. A random serial per certificate, so
    /// issuing concurrently needs no shared serial file.
    private func issue(
        name: String,
        commonName: String,
        extensions: [String]
    ) throws(TestSupportError) -> IssuedCertificate {
        try Self.validate(commonName: commonName)
        guard !name.isEmpty, !name.contains("/") else {
            throw .fixtureFailed(name: "TestCertificateAuthority", detail: "invalid certificate file name \"\(name)\"")
        }
        let key = directory.file("\(name).key")
        let request = directory.file("\(name).csr")
        let certificate = directory.file("\(name).crt")
        let config = try Self.writeConfig(in: directory, name: name, extensions: extensions)
        try Self.generateKey(key)
        try Self.openssl(["req", "-new", "-config", config, "-key", key, "-subj", "/CN=\(commonName)", "-out", request])
        var serial = SystemRandomNumberGenerator()
        let serialHex = String(serial.next() >> 1, radix: 16)  // positive, as RFC 5280 §4.1.2.2 requires
        try Self.openssl([
            "x509", "-req", "-in", request, "-CA", certificateFile, "-CAkey", privateKeyFile,
            "-set_serial", "0x" + serialHex, "-days", "2", "-sha256",
            "-extfile", config, "-extensions", "v3", "-out", certificate,
        ])
        return IssuedCertificate(certificateFile: certificate, privateKeyFile: key, commonName: commonName)
    }

    /// An EC P-256 private key in PEM (PKCS#8).
    private static func generateKey(_ path: String) throws(TestSupportError) {
        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path])
    }

    /// A self-contained openssl config (the system openssl.cnf would add its own defaults):
    /// a `[req]` section for CSRs and the `[v3]` extensions section.
    private static func writeConfig(
        in directory: TempDir,
        name: String,
        extensions: [String]
    ) throws(TestSupportError) -> String {
        let text = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = unused
            [v3]

            """ + extensions.joined(separator: "\n") + "\n"
        return try directory.write("\(name).cnf", text)
    }

    /// Runs `openssl arguments`; a non-zero exit throws with the command and its stderr.
    private static func openssl(_ arguments: [String]) throws(TestSupportError) {
        let result = try ExternalTool.run("openssl", arguments, timeout: .seconds(30))
        guard result.status == 0 else {
            throw .fixtureFailed(
                name: "TestCertificateAuthority",
                detail: "`openssl \(arguments.joined(separator: " "))` exited with \(result.status): \(result.stderr)"
            )
        }
    }

    /// CNs go into `-subj`, where "/" and "=" would start new attributes.
    private static func validate(commonName: String) throws(TestSupportError) {
        guard !commonName.isEmpty, !commonName.contains("/"), !commonName.contains("=") else {
            throw .fixtureFailed(name: "TestCertificateAuthority", detail: "invalid common name \"\(commonName)\"")
        }
    }
}

/// The files of a certificate a `TestCertificateAuthority` issued.
public struct IssuedCertificate: Sendable, Hashable {
    /// The certificate (PEM), usable as a one-element chain file.
    public var certificateFile: String
    /// Its private key (PEM, EC P-256).
    public var privateKeyFile: String
    /// Its subject common name.
    public var commonName: String
}
