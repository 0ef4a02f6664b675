// Outbound bodies buffered per stream and pulled by nghttp2; inbound flow-control credit.
import CNghttp2
import TracegateHTTP

extension H2Session {
  /// Copies `bytes` to the end of the stream's outbound body; nghttp2 pulls it into DATA frames as the
  /// peer's flow-control windows allow (RFC 9113 §5.2).
  ///
  /// Keep ``bufferedBody(stream:)`` below ``outboundBodyWindow``: stop appending once it is reached and
  /// resume on ``H2Event/bodyWritable(stream:)``.
  ///
  /// - Returns: false, and drops the bytes, when the stream is not open, was submitted with END_STREAM,
  ///   or was already finished: the caller can stop producing the body.
  @discardableResult
  public func appendBody(stream: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    guard failure == nil, let index = slot(of: stream), streams[index].hasProvider, !streams[index].bodyFinished else {
      return false
    }
    streams[index].body.append(bytes)
    if streams[index].body.readableBytes >= outboundBodyWindow { streams[index].throttled = true }
    resumeIfDeferred(index, stream: stream)
    return true
  }

  /// Ends the stream's outbound body: the last DATA frame carries END_STREAM, or, when `trailers` has
  /// fields, a HEADERS frame with them follows the body and ends the stream (RFC 9113 §8.1; the gRPC
  /// status travels this way).
  ///
  /// - Returns: false when the stream is not open, was submitted with END_STREAM, or was already finished.
  @discardableResult
  public func finishBody(stream: Int32, trailers: FieldBlock?) -> Bool {
    guard failure == nil, let index = slot(of: stream), streams[index].hasProvider, !streams[index].bodyFinished else {
      return false
    }
    streams[index].bodyFinished = true
    if let trailers, trailers.count > 0 { streams[index].trailers = trailers }
    resumeIfDeferred(index, stream: stream)
    return true
  }

  /// Outbound body bytes of `stream` appended but not yet taken by nghttp2 (0 when the stream is closed).
  public func bufferedBody(stream: Int32) -> Int {
    guard let index = slot(of: stream) else { return 0 }
    return streams[index].body.readableBytes
  }

  /// Reports that `bytes` of the stream's received DATA payload were passed on, so nghttp2 may reopen
  /// the stream and connection windows (WINDOW_UPDATE once half a window is consumed). Bytes of streams
  /// that closed meanwhile were already credited by the session, so calls for them are ignored.
  public func consume(stream: Int32, bytes: Int) {
    guard bytes > 0, let index = slot(of: stream) else { return }
    let credited = min(bytes, streams[index].unconsumed)
    guard credited > 0 else { return }
    streams[index].unconsumed -= credited
    _ = nghttp2_session_consume(session, stream, credited)
  }

  private func resumeIfDeferred(_ index: Int32, stream: Int32) {
    guard streams[index].dataDeferred else { return }
    streams[index].dataDeferred = false
    _ = nghttp2_session_resume_data(session, stream)
  }

  /// The data provider: moves up to `length` buffered body bytes into nghttp2's frame buffer.
  func readBody(stream: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
    // While staging reactions to input, DATA waits for send(into:limit:), which the caller paces.
    if pumping { return Int(NGHTTP2_ERR_PAUSE.rawValue) }
    guard let index = slot(of: stream) else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
    let available = streams[index].body.readableBytes
    let n = min(length, available)
    if n > 0 {
      UnsafeMutableRawPointer(buffer).copyMemory(from: streams[index].body.readable.baseAddress!, byteCount: n)
      streams[index].body.moveReaderIndex(by: n)
    }
    if n == available {
      if streams[index].bodyFinished {
        flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        if let trailers = streams[index].trailers {
          // END_STREAM goes on the trailing HEADERS instead (nghttp2_submit_trailer may be called here).
          flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
          streams[index].trailers = nil
          let rv = nameValues.with(trailers) { nghttp2_submit_trailer(session, stream, $0, $1) }
          if rv != 0 { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        }
      } else if n == 0 {
        streams[index].dataDeferred = true
        return Int(NGHTTP2_ERR_DEFERRED.rawValue)
      }
    }
    if streams[index].throttled && streams[index].body.readableBytes <= outboundBodyWindow / 2 {
      streams[index].throttled = false
      events.append(.bodyWritable(stream: stream))
    }
    return n
  }

  /// Stops taking a server stream's request once its response is complete but the client is
  /// still sending (RFC 9113 §8.1): DATA still arriving is credited to the windows and dropped,
  /// and RST_STREAM(NO_ERROR) follows the response's last frame unless the client ends the request
  /// first. Resetting at once instead would drop the response frames still queued for the stream.
  public func discardRequest(stream: Int32) {
    guard let index = slot(of: stream) else { return }
    streams[index].discarding = true
    let unconsumed = streams[index].unconsumed
    if unconsumed > 0 {
      _ = nghttp2_session_consume(session, stream, unconsumed)
      streams[index].unconsumed = 0
    }
  }
}
