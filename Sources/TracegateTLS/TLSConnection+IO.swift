import CTracegateOpenSSL

#if canImport(Glibc)
import Glibc
#endif

extension TLSConnection {
    /// Decrypts application data into `buffer` (which must not be empty).
    ///
    /// Returns at most one TLS record's worth (16 KiB), so `.bytes(n)` with `n < buffer.count`
    /// does not mean the socket is drained: under edge-triggered epoll keep reading until
    /// `.wantRead`. Bytes already decrypted but not yet returned are counted by `pendingBytes`.
    /// Post-handshake messages (TLS 1.3 tickets, KeyUpdate) are consumed here transparently.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        ERR_clear_error()
        var count = 0
        let result = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        let savedErrno = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed(clean: true)
        case SSL_ERROR_SYSCALL where savedErrno == 0 && ERR_peek_error() == 0:
            // EOF without close_notify, as OpenSSL 1.1.1 reports it.
            return .closed(clean: false)
        case SSL_ERROR_SSL where Self.isUnexpectedEOF(ERR_peek_error()):
            // EOF without close_notify, as OpenSSL 3.0 reports it (unless
            // SSL_OP_IGNORE_UNEXPECTED_EOF, not set so truncation stays visible).
            ERR_clear_error()
            return .closed(clean: false)
        default:
            return .failed(failure(code, errno: savedErrno, during: "TLS read"))
        }
    }

    /// Encrypts and sends up to `bytes.count` bytes; partial writes are normal.
    ///
    /// After `.wantWrite` (or `.wantRead`), call again with the same bytes: OpenSSL may have
    /// encrypted part of them into a record still waiting in its buffer, and the retry must
    /// start with those bytes and be at least as long (SSL_write(3), "WARNINGS"). The buffer may
    /// move between attempts (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), the content may not; more
    /// bytes may be appended.
    ///
    /// The count covers earlier attempts too, and it can come late: OpenSSL 3.0 reports a
    /// partial count only when a call sent whole records without blocking. A call that first
    /// finishes a pending record goes on to encrypt the next records from the same bytes, so on
    /// a socket whose buffer is smaller than a record (16 KiB) every call but the last returns
    /// `.wantWrite`, and all the bytes passed stay pinned until then. Passing bounded slices
    /// (say 16 KiB) bounds what stays pinned.
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSIOResult {
        guard !bytes.isEmpty else { return .bytes(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count)
        if result == 1 { return .bytes(count) }
        let savedErrno = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed(clean: true)
        default: return .failed(failure(code, errno: savedErrno, during: "TLS write"))
        }
    }

    /// Decrypted application bytes buffered inside OpenSSL, readable without touching the
    /// socket (SSL_pending(3)). Epoll will not report them: a reader that stops early must
    /// come back for them itself.
    public var pendingBytes: Int {
        Int(SSL_pending(ssl))
    }

    /// Whether an error-queue entry is OpenSSL 3's "unexpected eof while reading".
    static func isUnexpectedEOF(_ error: UInt) -> Bool {
        tg_ERR_GET_LIB(error) == ERR_LIB_SSL && tg_ERR_GET_REASON(error) == SSL_R_UNEXPECTED_EOF_WHILE_READING
    }
}
