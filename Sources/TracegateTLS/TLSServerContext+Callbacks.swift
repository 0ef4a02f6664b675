import CTracegateOpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// The ClientHello callbacks: SNI certificate selection, ALPN selection, and refusing clients
/// without ALPN on listeners that do not speak HTTP/1.1.
///
/// They are C function pointers (no captures); each receives the `ServerCallbackState` as its
/// `arg`, unretained: the default `SSL_CTX` keeps it alive (see `ServerCallbackState`).
extension TLSServerContext {
    /// The ex_data slot that holds each server `SSL_CTX`'s retained `ServerCallbackState`; its
    /// free function releases the state when OpenSSL frees the `SSL_CTX`. The free function
    /// runs for every `SSL_CTX` in the process (clients too), with `nil` where nothing was set.
    static let stateIndex: Int32 = tg_SSL_CTX_get_ex_new_index { _, pointer, _, _, _, _ in
        if let pointer { Unmanaged<ServerCallbackState>.fromOpaque(pointer).release() }
    }

    /// Installs the callbacks on one `SSL_CTX` (the default one and every SNI one: after an
    /// SNI switch OpenSSL takes the ALPN callback from the new context).
    static func installCallbacks(_ context: OpaquePointer, state: UnsafeMutableRawPointer, requireALPN: Bool) {
        _ = tg_SSL_CTX_set_tlsext_servername_callback(context, serverNameCallback)
        _ = tg_SSL_CTX_set_tlsext_servername_arg(context, state)
        SSL_CTX_set_alpn_select_cb(context, alpnSelectCallback, state)
        if requireALPN { SSL_CTX_set_client_hello_cb(context, requireALPNCallback, state) }
    }
}

/// SNI (RFC 6066 §3): switch the connection to the SNI certificate's `SSL_CTX` when the host
/// name matches one; otherwise keep the default certificate. Never fails the handshake: a
/// client asking for an unknown name gets the default certificate and decides itself.
/// SSL_CTX_set_tlsext_servername_callback(3).
private func serverNameCallback(
    _ ssl: OpaquePointer?,
    _ alert: UnsafeMutablePointer<Int32>?,
    _ arg: UnsafeMutableRawPointer?
) -> Int32 {
    guard let ssl, let arg, let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else {
        return SSL_TLSEXT_ERR_OK
    }
    let state = Unmanaged<ServerCallbackState>.fromOpaque(arg).takeUnretainedValue()
    if let context = state.context(forServerName: name) {
        _ = SSL_set_SSL_CTX(ssl, context)
    }
    return SSL_TLSEXT_ERR_OK
}

/// ALPN (RFC 7301 §3.2): the first of the listener's protocols that the client also offers
/// (server preference). No overlap: a fatal no_application_protocol alert, which OpenSSL sends
/// for `SSL_TLSEXT_ERR_ALERT_FATAL` from this callback. SSL_CTX_set_alpn_select_cb(3).
///
/// `SSL_select_next_proto` is not used: on no overlap it falls back to the client's first
/// protocol (an NPN rule), which would silently accept a protocol the listener cannot speak.
private func alpnSelectCallback(
    _ ssl: OpaquePointer?,
    _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
    _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?,
    _ offeredLength: UInt32,
    _ arg: UnsafeMutableRawPointer?
) -> Int32 {
    guard let out, let outLength, let offered, let arg else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    let state = Unmanaged<ServerCallbackState>.fromOpaque(arg).takeUnretainedValue()
    let server = UnsafeBufferPointer(start: UnsafePointer(state.alpnWire.baseAddress!), count: state.alpnCount)
    let client = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
    var serverIndex = 0
    while serverIndex < server.count {
        let length = Int(server[serverIndex])
        let start = serverIndex + 1
        var clientIndex = 0
        while clientIndex < client.count {
            let clientLength = Int(client[clientIndex])
            let clientStart = clientIndex + 1
            guard clientStart + clientLength <= client.count else { break }
            if clientLength == length
                && memcmp(server.baseAddress! + start, client.baseAddress! + clientStart, length) == 0
            {
                out.pointee = server.baseAddress! + start
                outLength.pointee = UInt8(length)
                return SSL_TLSEXT_ERR_OK
            }
            clientIndex = clientStart + clientLength
        }
        serverIndex = start + length
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL
}

/// On listeners without HTTP/1.1, a client that sends no ALPN extension at all would be
/// served HTTP/1.1 by default (RFC 7301 §3.1), which the listener cannot speak: refuse it in
/// the ClientHello with no_application_protocol. The ALPN select callback is not called when
/// the extension is absent, hence this separate early check. SSL_CTX_set_client_hello_cb(3).
private func requireALPNCallback(
    _ ssl: OpaquePointer?,
    _ alert: UnsafeMutablePointer<Int32>?,
    _ arg: UnsafeMutableRawPointer?
) -> Int32 {
    guard let ssl else { return SSL_CLIENT_HELLO_ERROR }
    var data: UnsafePointer<UInt8>?
    var length = 0
    if SSL_client_hello_get0_ext(ssl, UInt32(TLSEXT_TYPE_application_layer_protocol_negotiation), &data, &length) == 1 {
        return SSL_CLIENT_HELLO_SUCCESS
    }
    alert?.pointee = SSL_AD_NO_APPLICATION_PROTOCOL
    tg_ERR_raise_ssl(
        SSL_R_NO_APPLICATION_PROTOCOL,
        "the client offered no ALPN and this listener does not serve HTTP/1.1"
    )
    return SSL_CLIENT_HELLO_ERROR
}
