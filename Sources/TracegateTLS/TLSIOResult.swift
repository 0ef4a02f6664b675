/// What one `TLSConnection.read(into:)` or `write(_:)` call achieved.
///
/// A `.wantRead` from `write` or a `.wantWrite` from `read` is possible (TLS 1.3 KeyUpdate
/// needs a reply record, a full socket buffer can hold it back): wait for that readiness and
/// repeat the *same* operation (SSL_get_error(3)).
public enum TLSIOResult: Sendable {
    /// This many application bytes were read or written (a write may be partial).
    case bytes(Int)
    /// Nothing more can be done until the socket is readable.
    case wantRead
    /// Nothing more can be done until the socket is writable.
    case wantWrite
    /// The peer ended the stream. `clean` is true after a TLS close_notify alert; false when
    /// the transport reached EOF without one, which means the data may have been truncated by
    /// an attacker or a crash (RFC 8446 §6.1): a response without its own length framing must
    /// not be treated as complete then.
    case closed(clean: Bool)
    /// The connection failed and must be freed.
    case failed(TLSError)
}
