import CTracegateOpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// One TLS connection over a socket the data plane owns: a trivial value holding the `SSL*`,
/// so it can live in the data plane's raw connection slots.
///
/// Ownership: the value does not manage the `SSL`; copies share it. The data plane calls
/// `free()` exactly once when the slot closes, and closes the socket itself (`SSL_set_fd`
/// wraps the descriptor with BIO_NOCLOSE). Like everything on the data path, a connection is
/// used by one worker thread at a time.
///
/// Non-blocking use (the intended one): call `handshake()` until `.done`, waiting for the
/// readiness it asks for; then `read`/`write`. OpenSSL reads one TLS record per `SSL_read`, so
/// a read that returned fewer bytes than asked does *not* mean the socket is drained: with
/// edge-triggered epoll keep calling `read` until `.wantRead` (SSL_read(3)). Writes go to the
/// socket directly, so a socket whose peer is gone raises SIGPIPE unless it is ignored or
/// blocked, which the data plane's workers do.
public struct TLSConnection: BitwiseCopyable {
    /// The OpenSSL `SSL*`.
    public let ssl: OpaquePointer

    init(ssl: OpaquePointer) {
        self.ssl = ssl
    }

    /// A server-side connection on an accepted socket, using `context`'s certificates; `nil`
    /// only when OpenSSL cannot allocate it.
    public static func accept(fd: Int32, context: TLSServerContext) -> TLSConnection? {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            ERR_clear_error()
            return nil
        }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            ERR_clear_error()
            return nil
        }
        SSL_set_accept_state(ssl)
        return TLSConnection(ssl: ssl)
    }

    /// A client-side connection on a connected socket.
    ///
    /// - Parameters:
    ///   - serverName: the upstream's host name or IP literal (IPv4 dotted or IPv6 without
    ///     brackets). A host name is sent as SNI and, when the context verifies peers, must match
    ///     the certificate (RFC 6125, no partial wildcards like "a*.example.com"); an IP literal
    ///     is matched against the certificate's IP SANs and not sent as SNI, which RFC 6066 §3
    ///     forbids for literals. `nil` sends no SNI and verifies only the chain.
    ///   - session: a session from an earlier connection to resume (`resumableSession`).
    /// - Returns: `nil` when OpenSSL cannot allocate the connection or `serverName` is not
    ///   usable as a host name (e.g. contains NUL).
    public static func connect(
        fd: Int32,
        context: TLSClientContext,
        serverName: String?,
        session: TLSSession? = nil
    ) -> TLSConnection? {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            ERR_clear_error()
            return nil
        }
        guard SSL_set_fd(ssl, fd) == 1, configureServerName(ssl, serverName) else {
            SSL_free(ssl)
            ERR_clear_error()
            return nil
        }
        if let session, SSL_set_session(ssl, session.session) != 1 {
            SSL_free(ssl)
            ERR_clear_error()
            return nil
        }
        SSL_set_connect_state(ssl)
        return TLSConnection(ssl: ssl)
    }

    /// Sets SNI and the verification name, or the verification IP for a literal.
    private static func configureServerName(_ ssl: OpaquePointer, _ serverName: String?) -> Bool {
        guard let serverName else { return true }
        if isIPLiteral(serverName) {
            return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1
        }
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        return tg_SSL_set_tlsext_host_name(ssl, serverName) == 1 && SSL_set1_host(ssl, serverName) == 1
    }

    /// Whether `name` parses as an IPv4 or IPv6 address.
    static func isIPLiteral(_ name: String) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            inet_pton(AF_INET, name, buffer.baseAddress) == 1 || inet_pton(AF_INET6, name, buffer.baseAddress) == 1
        }
    }

    /// Advances the handshake as far as the socket allows.
    ///
    /// A client verifying its peer fails here with the verification reason in the message
    /// ("certificate verify failed" plus e.g. "hostname mismatch").
    public func handshake() -> TLSHandshakeResult {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        let savedErrno = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default: return .failed(failure(code, errno: savedErrno, during: "TLS handshake"))
        }
    }

    /// Sends a close_notify alert if the handshake completed, without waiting for the peer's
    /// (best effort: a full socket buffer just drops it). Free the connection afterwards.
    /// SSL_shutdown(3).
    public func shutdown() {
        ERR_clear_error()
        if SSL_is_init_finished(ssl) == 1 {
            _ = SSL_shutdown(ssl)
        }
        ERR_clear_error()
    }

    /// Releases the `SSL` (and, when it is the last user, its `SSL_CTX`). Exactly once.
    ///
    /// The session stays resumable even when the connection ended without a close_notify
    /// exchange (idle timeout, peer reset). `SSL_free` would otherwise remove it from the
    /// server's session cache and mark it not resumable on the client, which TLS 1.0 asked
    /// for and TLS 1.1 dropped (RFC 4346 §7.2.1); most connections end that way, so session-id
    /// resumption would rarely work. Sessions of connections that failed with a fatal alert are
    /// already gone: OpenSSL removes them when the alert is sent or received.
    public func free() {
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN)
        SSL_free(ssl)
    }

    /// The error for a failed operation: SSL_get_error's class, the certificate verification
    /// result when that is what failed, errno for a socket error, then the error queue.
    func failure(_ code: Int32, errno savedErrno: Int32, during operation: String) -> TLSError {
        switch code {
        case SSL_ERROR_SYSCALL:
            if ERR_peek_error() != 0 { return TLSError("\(operation): I/O error") }
            if savedErrno != 0 {
                return TLSError("\(operation): socket error: \(TLSError.describe(errno: savedErrno))")
            }
            return TLSError("\(operation): the peer closed the connection")
        case SSL_ERROR_SSL:
            let verifyResult = SSL_get_verify_result(ssl)
            if verifyResult != X509_V_OK {
                let reason = String(cString: X509_verify_cert_error_string(verifyResult))
                return TLSError("\(operation): peer certificate verification failed: \(reason)")
            }
            return TLSError("\(operation): protocol error")
        case SSL_ERROR_ZERO_RETURN:
            return TLSError("\(operation): the peer closed the TLS session")
        default:
            return TLSError("\(operation): unexpected SSL_get_error result \(code)")
        }
    }
}
