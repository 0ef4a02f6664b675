import CTracegateOpenSSL

/// An upstream's TLS configuration: trusted CAs, optional client certificate, ALPN offer and
/// version range. Immutable after init and shared by every worker thread.
///
/// Like `TLSServerContext`, reloading means creating a new context; connections made from the
/// old one keep it.
public final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer

    /// - Parameters:
    ///   - caFile: PEM bundle of trusted CAs; `nil` uses OpenSSL's default verify paths (the
    ///     system trust store, `SSL_CTX_set_default_verify_paths(3)`).
    ///   - verifyPeer: verify the server's chain and (with a `serverName` at connect) its name.
    ///     `false` accepts any certificate: only for tests and explicitly insecure upstreams.
    ///   - clientCertificateChainFile: PEM chain presented when the server asks for one (mTLS).
    ///   - clientPrivateKeyFile: its private key; required with a client certificate.
    ///   - alpn: protocols offered, in preference order; empty sends no ALPN extension.
    ///   - minimumVersion: lowest version offered.
    ///   - maximumVersion: highest version offered; `nil` is the highest OpenSSL supports.
    public init(
        caFile: String?,
        verifyPeer: Bool = true,
        clientCertificateChainFile: String? = nil,
        clientPrivateKeyFile: String? = nil,
        alpn: [ALPNProtocol],
        minimumVersion: TLSVersion = .tls12,
        maximumVersion: TLSVersion? = nil
    ) throws(TLSError) {
        ERR_clear_error()
        let context = try SSLContextSetup.newContext(TLS_client_method(), role: "client")
        do throws(TLSError) {
            try SSLContextSetup.configure(context, minimumVersion: minimumVersion, maximumVersion: maximumVersion)
            try Self.loadTrust(context, caFile: caFile)
            SSL_CTX_set_verify(context, verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
            switch (clientCertificateChainFile, clientPrivateKeyFile) {
            case (let chain?, let key?):
                try SSLContextSetup.loadCertificate(context, chainFile: chain, keyFile: key)
            case (let chain?, nil):
                throw TLSError("client certificate chain file \(chain) needs a private key file")
            case (nil, let key?):
                throw TLSError("client private key file \(key) needs a certificate chain file")
            case (nil, nil):
                break
            }
            _ = SSL_CTX_set_options(context, tg_SSL_OP_NO_RENEGOTIATION() | tg_SSL_OP_NO_COMPRESSION())
            if !alpn.isEmpty {
                let wire = ALPNProtocol.wireFormat(alpn)
                // Returns 0 on success, unlike nearly every other OpenSSL call.
                guard SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count)) == 0 else {
                    throw TLSError("cannot set the ALPN protocols \(alpn)")
                }
            }
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
    }

    deinit {
        SSL_CTX_free(context)
    }

    static func loadTrust(_ context: OpaquePointer, caFile: String?) throws(TLSError) {
        guard let caFile else {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw TLSError("cannot load the system's default CA certificates")
            }
            return
        }
        try SSLContextSetup.requireReadable(caFile, what: "CA file")
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
            throw TLSError("CA file \(caFile) holds no usable PEM certificate")
        }
    }
}
