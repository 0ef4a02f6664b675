// The C callbacks nghttp2 calls; each finds its H2Session through the session user data.
import CNghttp2

/// Installs the `@convention(c)` callbacks. Each one recovers the ``H2Session`` from nghttp2's user data
/// (an unretained reference: the session owns the nghttp2 session, so it outlives every callback) and
/// forwards to a method in `H2Session+Receive.swift` / `H2Session+Body.swift`.
enum H2Callbacks {
  static func install(in callbacks: OpaquePointer) {
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, user in
      withSession(user) { $0.onBeginHeaders(frame!) }
    }
    nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, user in
      withSession(user) {
        $0.onHeader(frame!, name: UnsafeRawBufferPointer(start: name, count: nameLength),
                    value: UnsafeRawBufferPointer(start: value, count: valueLength))
      }
    }
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
      withSession(user) { $0.onFrameReceived(frame!) }
    }
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, user in
      withSession(user) { $0.onDataChunk(stream: stream, UnsafeRawBufferPointer(start: data, count: length)) }
    }
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, code, user in
      withSession(user) { $0.onStreamClosed(stream: stream, code: H2ErrorCode(rawValue: code)) }
    }
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, user in
      withSession(user) { $0.onFrameSent(frame!) }
    }
  }

  /// The data provider's read callback (`nghttp2_data_source_read_callback`), shared by all streams.
  static let readBody: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, user in
    Unmanaged<H2Session>.fromOpaque(user!)._withUnsafeGuaranteedRef {
      $0.readBody(stream: stream, into: buffer!, length: length, flags: flags!)
    }
  }

}

/// Runs `body` with the session behind nghttp2's user data pointer.
@inline(__always)
private func withSession(_ user: UnsafeMutableRawPointer?, _ body: (H2Session) -> Int32) -> Int32 {
  Unmanaged<H2Session>.fromOpaque(user!)._withUnsafeGuaranteedRef(body)
}

/// Frame types and flags as the bytes nghttp2 puts in `nghttp2_frame_hd`.
enum H2Frame {
  static let data = UInt8(NGHTTP2_DATA.rawValue)
  static let headers = UInt8(NGHTTP2_HEADERS.rawValue)
  static let rstStream = UInt8(NGHTTP2_RST_STREAM.rawValue)
  static let settings = UInt8(NGHTTP2_SETTINGS.rawValue)
  static let ping = UInt8(NGHTTP2_PING.rawValue)
  static let goAway = UInt8(NGHTTP2_GOAWAY.rawValue)
  static let endStream = UInt8(NGHTTP2_FLAG_END_STREAM.rawValue)
  static let ack = UInt8(NGHTTP2_FLAG_ACK.rawValue)
}
