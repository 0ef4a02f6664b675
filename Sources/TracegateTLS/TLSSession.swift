import CTracegateOpenSSL

/// A TLS session a client can resume on its next connection to the same upstream
/// (`TLSConnection.connect(fd:context:serverName:session:)`), skipping the certificate
/// exchange and its public-key operations.
///
/// TLS 1.3 tickets are meant for a single use (RFC 8446 §C.4): take a fresh session from each
/// connection (`resumableSession`) instead of resuming many connections from one.
public final class TLSSession: @unchecked Sendable {
    /// The `SSL_SESSION`, one reference owned by this object. Sessions are immutable once
    /// established and reference counted, so sharing across threads is safe.
    let session: OpaquePointer

    init(owning session: OpaquePointer) {
        self.session = session
    }

    deinit {
        SSL_SESSION_free(session)
    }

    /// The negotiated protocol version this session resumes.
    public var protocolVersion: TLSVersion? {
        TLSVersion(openSSLValue: SSL_SESSION_get_protocol_version(session))
    }
}
