/// A self-signed certificate for 127.0.0.1 and localhost, made by the real `openssl` for one test:
/// the server side of TLS fixtures (`H2Upstream`, `GRPCFixture`, `Nghttpd`) and, as its own trust
/// anchor, the client side (`curl --cacert`, `grpc_client.py --ca`).
///
/// Why self-signed and not a CA plus a leaf: the tests check HTTP/2 over TLS, not chain building;
/// `openssl req -x509` marks the certificate `CA:TRUE`, so OpenSSL, BoringSSL (grpcio) and
/// Python's `ssl` all accept it as the root that verifies itself. The subject alternative names
/// carry `IP:127.0.0.1`, which is what clients match for `https://127.0.0.1:PORT` (RFC 6125 §6.4:
/// the common name is not consulted). P-256 keys keep generation fast.
public struct TestCertificate: Sendable {
    /// PEM certificate (also the CA file clients trust).
    public let certificatePath: String
    /// PEM private key (unencrypted).
    public let keyPath: String
    /// Keeps the files alive as long as the value is.
    public let directory: TempDir

    /// Generates a key and a certificate valid for 2 days into `directory` (a fresh one by default).
    /// - Throws: `toolMissing` without openssl, `fixtureFailed` when openssl fails.
    public static func selfSigned(
        commonName: String = "127.0.0.1",
        in directory: TempDir? = nil
    ) throws(TestSupportError) -> TestCertificate {
        let directory = if let directory { directory } else { try TempDir(prefix: "cert") }
        let certificate = directory.file("cert.pem")
        let key = directory.file("key.pem")
        let result = try ExternalTool.run("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ], timeout: .seconds(30))
        guard result.status == 0 else {
            throw .fixtureFailed(name: "openssl req", detail: "exit \(result.status): \(result.stderr)")
        }
        return TestCertificate(certificatePath: certificate, keyPath: key, directory: directory)
    }
}
