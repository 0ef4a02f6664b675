// CertificateFiles.swift — a certificate chain and its private key, as two PEM files.

/// A certificate chain and the private key that goes with it, as paths of PEM files.
///
/// Used for a listener's default certificate, each SNI certificate, and a cluster's client
/// certificate, which always come as a pair (one without the other cannot be used in a
/// handshake). The loader resolves relative paths against the configuration file's directory and
/// checks both files can be read; it does not parse them: the data plane loads them with
/// `SSL_CTX_use_certificate_chain_file` and `SSL_CTX_use_PrivateKey_file` and reports bad PEM or
/// a key that does not match the certificate (`SSL_CTX_check_private_key`) itself.
public struct CertificateFiles: Sendable, Equatable {
    /// PEM file: the leaf certificate first, then the intermediates in order (the form
    /// `SSL_CTX_use_certificate_chain_file` reads).
    public var certificateChain: String
    /// PEM file: the private key of the leaf certificate (unencrypted).
    public var privateKey: String

    /// A pair of paths, used as given.
    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}
