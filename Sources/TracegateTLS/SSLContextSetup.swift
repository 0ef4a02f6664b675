import CTracegateOpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// Set-up steps shared by server and client `SSL_CTX`s, each failing with a `TLSError` that
/// names the file or setting involved.
enum SSLContextSetup {
    /// `SSL_MODE_ENABLE_PARTIAL_WRITE`: `SSL_write` returns after each record it could send,
    /// so a non-blocking writer learns how far it got instead of having OpenSSL hold the rest.
    /// `SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER`: a retried write may pass the same bytes at another
    /// address (the data plane's output buffer can be compacted between attempts).
    /// SSL_CTX_set_mode(3).
    static let writeModes = tg_SSL_MODE_ENABLE_PARTIAL_WRITE() | tg_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER()

    /// A new `SSL_CTX` for `method`, or the error.
    static func newContext(_ method: OpaquePointer?, role: String) throws(TLSError) -> OpaquePointer {
        guard let context = SSL_CTX_new(method) else { throw TLSError("cannot create the TLS \(role) context") }
        return context
    }

    /// Applies the version range and the write modes.
    static func configure(
        _ context: OpaquePointer,
        minimumVersion: TLSVersion,
        maximumVersion: TLSVersion?
    ) throws(TLSError) {
        if let maximumVersion, maximumVersion < minimumVersion {
            throw TLSError("maximum TLS version \(maximumVersion) is below the minimum \(minimumVersion)")
        }
        guard tg_SSL_CTX_set_min_proto_version(context, minimumVersion.openSSLValue) == 1 else {
            throw TLSError("cannot set the minimum TLS version \(minimumVersion)")
        }
        if let maximumVersion, tg_SSL_CTX_set_max_proto_version(context, maximumVersion.openSSLValue) != 1 {
            throw TLSError("cannot set the maximum TLS version \(maximumVersion)")
        }
        _ = tg_SSL_CTX_set_mode(context, writeModes)
    }

    /// Loads a PEM certificate chain and its private key, and checks they belong together.
    ///
    /// Each step gets its own message because OpenSSL's own ("PEM routines::no start line")
    /// does not say which of several configured files is wrong.
    static func loadCertificate(_ context: OpaquePointer, chainFile: String, keyFile: String) throws(TLSError) {
        try requireReadable(chainFile, what: "certificate chain file")
        try requireReadable(keyFile, what: "private key file")
        ERR_clear_error()
        guard SSL_CTX_use_certificate_chain_file(context, chainFile) == 1 else {
            throw TLSError("certificate chain file \(chainFile) holds no usable PEM certificate")
        }
        guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
            // ssl_set_pkey fails with X509 "key values mismatch" when the key parses but does
            // not belong to the certificate just loaded.
            let error = ERR_peek_error()
            if tg_ERR_GET_LIB(error) == ERR_LIB_X509 && tg_ERR_GET_REASON(error) == X509_R_KEY_VALUES_MISMATCH {
                throw TLSError("private key file \(keyFile) does not match the certificate in \(chainFile)")
            }
            throw TLSError("private key file \(keyFile) holds no usable PEM private key")
        }
        // A key of another type (RSA key, EC certificate) lands in a different slot without
        // complaint; only this check notices.
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw TLSError("private key file \(keyFile) does not match the certificate in \(chainFile)")
        }
    }

    /// Throws a message with `strerror` text when `path` cannot be opened for reading.
    static func requireReadable(_ path: String, what: String) throws(TLSError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw TLSError("cannot read \(what) \(path): \(TLSError.describe(errno: code))")
        }
        close(fd)
    }
}
