import CTracegateOpenSSL

/// A listener's TLS configuration: certificate (plus SNI alternatives), ALPN protocols,
/// version range, and the session cache and ticket keys its connections share.
///
/// Immutable after init and shared by every worker thread: `SSL_new` on one `SSL_CTX` from many
/// threads is safe, and the session cache it holds is locked inside OpenSSL.
///
/// Certificate reload: create a new context and use it for new connections. Connections
/// accepted from the old one keep it (each `SSL` holds a reference to its `SSL_CTX`), so
/// dropping the old `TLSServerContext` while they run is safe. Sessions and tickets issued by
/// the old context do not resume on the new one (new cache, new ticket keys): clients fall back
/// to a full handshake once.
public final class TLSServerContext: @unchecked Sendable {
    /// The default `SSL_CTX`: connections are created from it, and it holds the session cache
    /// and ticket keys even for connections that SNI switched to another certificate.
    let context: OpaquePointer

    /// The session id context (SSL_CTX_set_session_id_context(3)): a server that caches
    /// sessions must set one, or resuming a session that carried a verified client certificate
    /// fails with "session id context uninitialized".
    static let sessionIDContext: StaticString = "tracegate"

    /// - Parameters:
    ///   - certificateChainFile: PEM, leaf certificate first, then intermediates.
    ///   - privateKeyFile: PEM private key of the leaf.
    ///   - alpn: protocols in server preference order. The first one the client also offers is
    ///     chosen. A client that offers ALPN without any of them fails the handshake with a
    ///     no_application_protocol alert (RFC 7301 §3.2). A client that sends no ALPN gets
    ///     `negotiatedProtocol == nil`, meaning HTTP/1.1 (RFC 7301 §3.1); when `.http11` is not
    ///     listed such a client is refused with the same alert instead, since "h2" cannot be
    ///     spoken without ALPN (RFC 9113 §3.2).
    ///   - minimumVersion: lowest version accepted; TLS 1.2 by default (RFC 9113 §9.2).
    ///   - maximumVersion: highest version accepted; `nil` is the highest OpenSSL supports.
    ///   - sessionTickets: issue session tickets (RFC 5077, RFC 8446 §4.6.1). Sessions are also
    ///     kept in a server-side cache, so clients resume by session id (TLS 1.2) or stateful
    ///     ticket (TLS 1.3) when this is false.
    ///   - sniCertificates: alternative certificates chosen by the client's SNI host name; a
    ///     name matching none of them gets the default certificate.
    ///   - clientCertificateCAFile: when set, every client must present a certificate that
    ///     verifies against this PEM CA bundle (mutual TLS); the handshake fails otherwise.
    public init(
        certificateChainFile: String,
        privateKeyFile: String,
        alpn: [ALPNProtocol] = [.h2, .http11],
        minimumVersion: TLSVersion = .tls12,
        maximumVersion: TLSVersion? = nil,
        sessionTickets: Bool = true,
        sniCertificates: [SNICertificate] = [],
        clientCertificateCAFile: String? = nil
    ) throws(TLSError) {
        ERR_clear_error()
        guard !alpn.isEmpty else { throw TLSError("a TLS listener needs at least one ALPN protocol") }
        let settings = Settings(
            minimumVersion: minimumVersion,
            maximumVersion: maximumVersion,
            sessionTickets: sessionTickets,
            clientCertificateCAFile: clientCertificateCAFile
        )
        let defaultContext = try Self.makeContext(
            chainFile: certificateChainFile,
            keyFile: privateKeyFile,
            settings: settings
        )

        var sniContexts: [OpaquePointer] = []
        var entries: [ServerCallbackState.Entry] = []
        do throws(TLSError) {
            for certificate in sniCertificates {
                guard !certificate.serverNames.isEmpty else {
                    throw TLSError("SNI certificate \(certificate.certificateChainFile) lists no server names")
                }
                var patterns: [(name: [UInt8], isWildcard: Bool)] = []
                for name in certificate.serverNames {
                    guard let pattern = ServerCallbackState.parsePattern(name) else {
                        throw TLSError(
                            "SNI certificate \(certificate.certificateChainFile): invalid server name \"\(name)\" "
                                + "(expected a host name or \"*.\" followed by a domain)"
                        )
                    }
                    patterns.append(pattern)
                }
                let sniContext = try Self.makeContext(
                    chainFile: certificate.certificateChainFile,
                    keyFile: certificate.privateKeyFile,
                    settings: settings
                )
                sniContexts.append(sniContext)
                for pattern in patterns {
                    entries.append(.init(name: pattern.name, isWildcard: pattern.isWildcard, context: sniContext))
                }
            }
        } catch {
            for sniContext in sniContexts { SSL_CTX_free(sniContext) }
            SSL_CTX_free(defaultContext)
            throw error
        }

        // From here the default SSL_CTX owns the state (and through it the SNI contexts).
        let state = ServerCallbackState(entries: entries, sniContexts: sniContexts, alpn: alpn)
        let statePointer = Unmanaged.passRetained(state).toOpaque()
        guard SSL_CTX_set_ex_data(defaultContext, Self.stateIndex, statePointer) == 1 else {
            Unmanaged<ServerCallbackState>.fromOpaque(statePointer).release()
            SSL_CTX_free(defaultContext)
            throw TLSError("cannot attach the SNI/ALPN state to the TLS server context")
        }
        for each in [defaultContext] + sniContexts {
            Self.installCallbacks(each, state: statePointer, requireALPN: !alpn.contains(.http11))
        }
        context = defaultContext
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// Settings applied identically to the default and every SNI `SSL_CTX`.
    struct Settings {
        var minimumVersion: TLSVersion
        var maximumVersion: TLSVersion?
        var sessionTickets: Bool
        var clientCertificateCAFile: String?
    }

    /// TLS 1.2 cipher suites: ECDHE with AEAD only (Mozilla "intermediate"). RFC 9113 §9.2.2
    /// lets HTTP/2 clients reject a connection on a block-listed suite (non-AEAD, static RSA),
    /// so the server never picks one. TLS 1.3 suites are all AEAD and stay at OpenSSL's default.
    static let tls12Ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// One server `SSL_CTX` with certificate, versions, options, session cache and (optionally)
    /// client certificate verification. Frees it on failure.
    static func makeContext(chainFile: String, keyFile: String, settings: Settings) throws(TLSError) -> OpaquePointer {
        let context = try SSLContextSetup.newContext(TLS_server_method(), role: "server")
        do throws(TLSError) {
            try SSLContextSetup.configure(
                context,
                minimumVersion: settings.minimumVersion,
                maximumVersion: settings.maximumVersion
            )
            try SSLContextSetup.loadCertificate(context, chainFile: chainFile, keyFile: keyFile)
            guard SSL_CTX_set_cipher_list(context, tls12Ciphers) == 1 else {
                throw TLSError("cannot set the TLS 1.2 cipher suites")
            }
            // No renegotiation: HTTP/2 forbids it (RFC 9113 §9.2.1) and it is a CPU DoS vector
            // for HTTP/1.1. No compression: CRIME. Server cipher preference: the AEAD order above.
            var options =
                tg_SSL_OP_NO_RENEGOTIATION() | tg_SSL_OP_NO_COMPRESSION() | tg_SSL_OP_CIPHER_SERVER_PREFERENCE()
            if !settings.sessionTickets { options |= tg_SSL_OP_NO_TICKET() }
            _ = SSL_CTX_set_options(context, options)
            _ = tg_SSL_CTX_set_session_cache_mode(context, tg_SSL_SESS_CACHE_SERVER())
            let id = sessionIDContext
            guard SSL_CTX_set_session_id_context(context, id.utf8Start, UInt32(id.utf8CodeUnitCount)) == 1 else {
                throw TLSError("cannot set the TLS session id context")
            }
            if let caFile = settings.clientCertificateCAFile {
                try requireClientCertificates(context, caFile: caFile)
            }
            return context
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    /// Mutual TLS: request a client certificate, name the acceptable CAs in the
    /// CertificateRequest, and fail the handshake without a valid one.
    static func requireClientCertificates(_ context: OpaquePointer, caFile: String) throws(TLSError) {
        try SSLContextSetup.requireReadable(caFile, what: "client CA file")
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
            throw TLSError("client CA file \(caFile) holds no usable PEM certificate")
        }
        guard let names = SSL_load_client_CA_file(caFile) else {
            throw TLSError("client CA file \(caFile) holds no usable PEM certificate")
        }
        SSL_CTX_set_client_CA_list(context, names)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
    }
}
