// SessionCookie.swift — the Set-Cookie value for a session id the edge issued.

/// Writes `Set-Cookie` values for edge-issued sessions (RFC 6265 §4.1).
public enum SessionCookie {
    /// Appends `name=id; Path=/; Max-Age=N; HttpOnly; SameSite=Lax[; Secure]`.
    ///
    /// Why these attributes: `Path=/` so every route sees the same session; `Max-Age` rather
    /// than `Expires` needs no clock formatting and wins where both exist (§5.3 step 3);
    /// `HttpOnly` keeps the id away from page scripts; `SameSite=Lax` sends it on top-level
    /// navigations but not on cross-site subrequests; `Secure` when the listener is TLS.
    /// The caller guarantees `name` is a cookie token and `id` passed
    /// ``SessionID/isWellFormed(_:maxLength:)`` (or was generated).
    public static func write(
        name: UnsafeRawBufferPointer,
        id: UnsafeRawBufferPointer,
        maxAgeSeconds: UInt64,
        secure: Bool,
        into sink: inout some ByteSink
    ) {
        sink.append(name)
        sink.append(byte: ASCII.equals)
        sink.append(id)
        sink.append("; Path=/; Max-Age=")
        appendDecimal(maxAgeSeconds, to: &sink)
        sink.append("; HttpOnly; SameSite=Lax")
        if secure { sink.append("; Secure") }
    }

    /// Same as ``write(name:id:maxAgeSeconds:secure:into:)`` for a generated ``SessionID``.
    public static func write(
        name: UnsafeRawBufferPointer,
        id: SessionID,
        maxAgeSeconds: UInt64,
        secure: Bool,
        into sink: inout some ByteSink
    ) {
        id.withHexBytes { write(name: name, id: $0, maxAgeSeconds: maxAgeSeconds, secure: secure, into: &sink) }
    }

    /// Appends `value` in decimal without allocating.
    static func appendDecimal(_ value: UInt64, to sink: inout some ByteSink) {
        withUnsafeTemporaryAllocation(byteCount: 20, alignment: 1) { buffer in
            var index = 20
            var rest = value
            repeat {
                index -= 1
                buffer[index] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            sink.append(UnsafeRawBufferPointer(rebasing: buffer[index..<20]))
        }
    }
}
