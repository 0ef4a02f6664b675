/// What one `TLSConnection.handshake()` step achieved.
public enum TLSHandshakeResult: Sendable {
    /// The handshake is complete; application data may flow.
    case done
    /// Call `handshake()` again when the socket is readable.
    case wantRead
    /// Call `handshake()` again when the socket is writable.
    case wantWrite
    /// The handshake failed; the connection must be freed (any alert was already queued or sent).
    case failed(TLSError)
}
