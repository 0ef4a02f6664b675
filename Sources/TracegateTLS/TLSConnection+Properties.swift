import CTracegateOpenSSL

extension TLSConnection {
    /// The ALPN protocol agreed in the handshake; `nil` when the client sent no ALPN, which
    /// means HTTP/1.1 (RFC 7301 §3.1; a listener without HTTP/1.1 refuses such clients).
    /// Does not allocate.
    public var negotiatedProtocol: ALPNProtocol? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return ALPNProtocol.matching(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    /// The SNI host name: the one the client sent (server side) or set (client side). Rare
    /// path: allocates the string.
    public var serverName: String? {
        SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// Whether the handshake resumed an earlier session instead of a full exchange.
    public var sessionReused: Bool {
        SSL_session_reused(ssl) == 1
    }

    /// The negotiated version; `nil` before the handshake completes.
    public var protocolVersion: TLSVersion? {
        guard SSL_is_init_finished(ssl) == 1 else { return nil }
        return TLSVersion(openSSLValue: SSL_version(ssl))
    }

    /// The peer certificate's subject in RFC 2253 form ("CN=api.example.com,O=Example"), or
    /// `nil` when the peer sent none. For logs and tests; allocates.
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get0_peer_certificate(ssl), let name = X509_get_subject_name(certificate),
            let bio = BIO_new(BIO_s_mem())
        else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, tg_XN_FLAG_RFC2253()) >= 0 else {
            ERR_clear_error()
            return nil
        }
        let length = Int(BIO_ctrl_pending(bio))
        return String(unsafeUninitializedCapacity: length) { buffer in
            max(0, Int(BIO_read(bio, buffer.baseAddress, Int32(length))))
        }
    }

    /// A session to resume on a later connection (`connect(...session:)`), or `nil` when none is
    /// resumable yet. TLS 1.3 servers send their tickets after the handshake: a client sees
    /// them only once it has read data that followed them.
    public var resumableSession: TLSSession? {
        guard let session = SSL_get1_session(ssl) else { return nil }
        guard SSL_SESSION_is_resumable(session) == 1 else {
            SSL_SESSION_free(session)
            return nil
        }
        return TLSSession(owning: session)
    }
}
