// Submitting requests, responses and resets.
import CNghttp2
import TracegateHTTP

extension H2Session {
  // MARK: Server role

  /// Queues the response header section of `stream` (`fields` include `:status`, RFC 9113 §8.3.2).
  /// Without `endStream`, the body follows through ``appendBody(stream:_:)`` and
  /// ``finishBody(stream:trailers:)``.
  @discardableResult
  public func submitResponse(stream: Int32, fields: FieldBlock, endStream: Bool) -> H2Error? {
    if let failure { return failure }
    guard let index = slot(of: stream) else { return .library(Int(NGHTTP2_ERR_STREAM_CLOSED.rawValue)) }
    var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: H2Callbacks.readBody)
    let rv = nameValues.with(fields) { nv, count in
      endStream
        ? nghttp2_submit_response(session, stream, nv, count, nil)
        : nghttp2_submit_response(session, stream, nv, count, &provider)
    }
    if rv != 0 { return .library(Int(rv)) }
    streams[index].hasProvider = !endStream
    return nil
  }

  /// Queues a 1xx interim response (e.g. 103 Early Hints, RFC 8297) ahead of the final response
  /// (RFC 9113 §8.1: any number of 1xx header sections may precede it).
  @discardableResult
  public func submitInformational(stream: Int32, fields: FieldBlock) -> H2Error? {
    if let failure { return failure }
    guard slot(of: stream) != nil else { return .library(Int(NGHTTP2_ERR_STREAM_CLOSED.rawValue)) }
    let rv = nameValues.with(fields) { nv, count in
      nghttp2_submit_headers(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, nil, nv, count, nil)
    }
    return rv < 0 ? .library(Int(rv)) : nil
  }

  // MARK: Client role

  /// Whether ``submitRequest(fields:endStream:)`` may open a stream now: no GOAWAY was sent or received,
  /// stream ids are not exhausted (RFC 9113 §5.1.1), and fewer streams are open than the peer's
  /// SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2; nghttp2 would otherwise queue the request
  /// silently until a stream closes).
  public var canOpenStream: Bool {
    role == .client && failure == nil && shutdown == .open
      && nghttp2_session_check_request_allowed(session) != 0
      && UInt32(clamping: streams.live) < remoteMaxConcurrentStreams
  }

  /// Queues a request (`fields` include `:method`, `:scheme`, `:authority`, `:path`; RFC 9113 §8.3.1) on
  /// a new stream and returns its id. Without `endStream`, the body follows through
  /// ``appendBody(stream:_:)`` and ``finishBody(stream:trailers:)``.
  ///
  /// Fails with nghttp2's NGHTTP2_ERR_START_STREAM_NOT_ALLOWED after GOAWAY (sent or received) or once
  /// stream ids are exhausted, and with NGHTTP2_ERR_PROTO on the server role. Above the peer's concurrency
  /// limit the request is accepted and waits inside nghttp2 until a stream closes; check
  /// ``canOpenStream`` first to avoid that.
  public func submitRequest(fields: FieldBlock, endStream: Bool) -> Result<Int32, H2Error> {
    if let failure { return .failure(failure) }
    guard role == .client else { return .failure(.library(Int(NGHTTP2_ERR_PROTO.rawValue))) }
    guard shutdown == .open, nghttp2_session_check_request_allowed(session) != 0 else {
      return .failure(.library(Int(NGHTTP2_ERR_START_STREAM_NOT_ALLOWED.rawValue)))
    }
    let index = streams.allocate(stream: 0)
    var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: H2Callbacks.readBody)
    let userData = H2StreamTable.userData(index)
    let id = nameValues.with(fields) { nv, count in
      endStream
        ? nghttp2_submit_request(session, nil, nv, count, nil, userData)
        : nghttp2_submit_request(session, nil, nv, count, &provider, userData)
    }
    guard id > 0 else {
      streams.release(index)
      return .failure(.library(Int(id)))
    }
    streams[index].streamID = id
    streams[index].hasProvider = !endStream
    streams[index].announced = true
    streams.awaitOpening(index)
    return .success(id)
  }

  // MARK: Both roles

  /// Resets `stream` with RST_STREAM(`code`) (RFC 9113 §6.4). ``H2Event/streamClosed(stream:code:)``
  /// follows once the frame is sent; a client request not yet sent is dropped and reported closed.
  @discardableResult
  public func resetStream(_ stream: Int32, code: H2ErrorCode) -> H2Error? {
    if let failure { return failure }
    let rv = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, code.rawValue)
    return rv == 0 ? nil : .library(Int(rv))
  }
}
