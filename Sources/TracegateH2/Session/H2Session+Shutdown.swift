// GOAWAY: graceful drain and immediate close.
import CNghttp2

extension H2Session {
  /// Closes the connection with GOAWAY (RFC 9113 §6.8).
  ///
  /// - `.noError`, server role: graceful. A shutdown notice (GOAWAY with the maximum stream id) and a
  ///   PING go out at once; when the PING's ACK comes back (one round trip, so every stream the client
  ///   opened before seeing the notice has arrived) the final GOAWAY names the last stream processed.
  ///   Streams up to it run to completion; later ones are ignored (the client learns from the GOAWAY
  ///   that they were not processed). The connection is done when ``wantsRead`` and ``wantsWrite`` are
  ///   both false. Calling it again before the ACK arrived (a drain timeout) sends the final GOAWAY at
  ///   once.
  /// - `.noError`, client role: GOAWAY(NO_ERROR) at once, ``canOpenStream`` turns false, open streams
  ///   run to completion.
  /// - any other code: immediate. GOAWAY(code, last processed stream) is queued, nothing more is read,
  ///   and the session is done once it is written.
  @discardableResult
  public func goAway(code: H2ErrorCode) -> H2Error? {
    if let failure { return failure }
    guard code == .noError else {
      callerTerminated = true
      let rv = nghttp2_session_terminate_session(session, code.rawValue)
      return rv == 0 ? nil : .library(Int(rv))
    }
    if shutdown == .draining {
      let rv = submitFinalGoAway()
      return rv == 0 ? nil : .library(Int(rv))
    }
    guard shutdown == .open else { return nil }
    switch role {
    case .server:
      var rv = nghttp2_submit_shutdown_notice(session)
      if rv == 0 {
        rv = withUnsafeBytes(of: H2Session.drainPingData) { opaque in
          nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), opaque.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
      }
      if rv != 0 { return .library(Int(rv)) }
      shutdown = .draining
    case .client:
      let rv = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                                     nghttp2_session_get_last_proc_stream_id(session), H2ErrorCode.noError.rawValue, nil, 0)
      if rv != 0 { return .library(Int(rv)) }
      shutdown = .closing
    }
    return nil
  }

  /// The PING payload that marks our drain round trip ("tgdrain!").
  static let drainPingData: UInt64 = 0x2167_6e69_6172_6467

  func isDrainPing(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
    withUnsafeBytes(of: frame.pointee.ping.opaque_data) { received in
      withUnsafeBytes(of: H2Session.drainPingData) { received.elementsEqual($0) }
    }
  }

  /// The drain PING came back (or the caller stopped waiting): the final GOAWAY names the last stream
  /// we processed.
  func submitFinalGoAway() -> Int32 {
    shutdown = .closing
    return nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                                 nghttp2_session_get_last_proc_stream_id(session), H2ErrorCode.noError.rawValue, nil, 0)
  }
}
