// Turning nghttp2's receive callbacks into events.
import CNghttp2
import Glibc
import TracegateHTTP

extension H2Session {
  /// A header block starts: a new request stream (server) gets a slot, and a pooled FieldBlock is taken.
  func onBeginHeaders(_ frame: UnsafePointer<nghttp2_frame>) -> Int32 {
    let stream = frame.pointee.hd.stream_id
    if role == .server && frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
      let index = streams.allocate(stream: stream)
      let rv = nghttp2_session_set_stream_user_data(session, stream, H2StreamTable.userData(index))
      if rv != 0 {
        streams.release(index)
        return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
      }
    }
    if fieldsInUse == fieldPool.count { fieldPool.append(FieldBlock()) }
    fieldPool[fieldsInUse].removeAll()
    block = H2InboundBlock(stream: stream, fields: Int32(fieldsInUse))
    fieldsInUse += 1
    return 0
  }

  /// One decoded field. Sizes count as RFC 9113 §6.5.2 says (name + value + 32); past
  /// ``H2Settings/maxHeaderListSize`` the block's fields are dropped and the rest only decoded (HPACK state
  /// must stay in sync, RFC 9113 §4.3), and too many such blocks end the connection (HPACK bomb).
  func onHeader(_ frame: UnsafePointer<nghttp2_frame>, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Int32 {
    guard block.fields >= 0, !block.tooLarge else { return 0 }
    block.size += name.count + value.count + 32
    if block.size > Int(settings.maxHeaderListSize) {
      block.tooLarge = true
      fieldPool[Int(block.fields)].removeAll()
      oversizedHeaderBlocks += 1
      if oversizedHeaderBlocks > limits.maxHeaderResetsPerConnection {
        callbackFailure = H2Error(kind: .flood(.headerLists), code: .enhanceYourCalm)
        return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
      }
      return 0
    }
    // RFC 9113 §8.1: 1xx responses are interim header sections before the final one.
    if role == .client, name.count == 7, value.first == UInt8(ascii: "1"), name.elementsEqual(":status".utf8) {
      block.informational = true
    }
    fieldPool[Int(block.fields)].append(name: name, value: value)
    return 0
  }

  func onFrameReceived(_ frame: UnsafePointer<nghttp2_frame>) -> Int32 {
    let hd = frame.pointee.hd
    switch hd.type {
    case H2Frame.headers:
      headerBlockReceived(frame, endStream: hd.flags & H2Frame.endStream != 0)
    case H2Frame.data:
      if hd.flags & H2Frame.endStream != 0 { dataEnded(stream: hd.stream_id) }
    case H2Frame.rstStream:
      // Rapid reset (CVE-2023-44487): checked before nghttp2 closes the stream or counts it itself.
      if role == .server && !resetLimiter.allow(now: monotonicSeconds()) {
        callbackFailure = H2Error(kind: .flood(.rapidReset), code: .enhanceYourCalm)
        return NGHTTP2_ERR_CALLBACK_FAILURE.rawValue
      }
    case H2Frame.settings:
      if hd.flags & H2Frame.ack == 0 {
        events.append(.remoteSettings(maxConcurrentStreams: remoteMaxConcurrentStreams))
      }
    case H2Frame.goAway:
      events.append(.goAway(lastStreamID: frame.pointee.goaway.last_stream_id,
                            code: H2ErrorCode(rawValue: frame.pointee.goaway.error_code)))
    case H2Frame.ping:
      if hd.flags & H2Frame.ack != 0 && shutdown == .draining && isDrainPing(frame) {
        return nghttp2_is_fatal(submitFinalGoAway()) != 0 ? NGHTTP2_ERR_CALLBACK_FAILURE.rawValue : 0
      }
    default:
      break
    }
    return 0
  }

  /// The end of a HEADERS (+ CONTINUATION) block.
  private func headerBlockReceived(_ frame: UnsafePointer<nghttp2_frame>, endStream: Bool) {
    let stream = frame.pointee.hd.stream_id
    guard block.fields >= 0, block.stream == stream, let index = slot(of: stream) else { return }
    let kind: H2HeadersKind
    switch role {
    case .server:
      kind = frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST ? .request : .trailers
    case .client:
      if block.informational {
        kind = .informational
      } else if streams[index].finalResponseSeen {
        kind = .trailers
      } else {
        kind = .response
        streams[index].finalResponseSeen = true
      }
    }
    let ref = H2FieldsRef(index: block.fields)
    let tooLarge = block.tooLarge
    block = H2InboundBlock()
    streams[index].announced = true
    guard tooLarge else {
      events.append(.headers(stream: stream, kind: kind, fields: ref, endStream: endStream))
      return
    }
    streams[index].discarding = true
    events.append(.headerListTooLarge(stream: stream, kind: kind))
    if !(role == .server && kind == .request) {
      // Not REFUSED_STREAM: RFC 9113 §8.7 lets the peer retry a refused stream as unprocessed, which a
      // request whose response (or whose trailers) we already have is not.
      _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, H2ErrorCode.protocolError.rawValue)
    }
  }

  /// DATA payload: copied into the scratch buffer (nghttp2's pointer is only valid during the call).
  func onDataChunk(stream: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    guard let index = slot(of: stream), !streams[index].discarding else {
      // Nobody will forward it: credit the windows now so the connection does not stall.
      _ = nghttp2_session_consume(session, stream, bytes.count)
      return 0
    }
    streams[index].unconsumed += bytes.count
    let start = inbound.writerIndex
    inbound.append(bytes)
    if case .data(stream, let range, false)? = events.last, range.end == start {
      events[events.count - 1] = .data(stream: stream, payload: ByteRange(start: range.start, end: inbound.writerIndex), endStream: false)
    } else {
      events.append(.data(stream: stream, payload: ByteRange(start: start, end: inbound.writerIndex), endStream: false))
    }
    return 0
  }

  /// END_STREAM on a DATA frame: marks the last DATA event, or adds an empty one.
  private func dataEnded(stream: Int32) {
    guard let index = slot(of: stream), !streams[index].discarding else { return }
    if case .data(stream, let range, false)? = events.last {
      events[events.count - 1] = .data(stream: stream, payload: range, endStream: true)
    } else {
      let end = inbound.writerIndex
      events.append(.data(stream: stream, payload: ByteRange(start: end, end: end), endStream: true))
    }
  }

  /// A stream closed (either side, any reason). Frees its slot; inbound bytes the caller was handed but
  /// has not consumed are credited to the connection window, since a closed stream can no longer be
  /// consumed and the connection would otherwise lose that window for good.
  func onStreamClosed(stream: Int32, code: H2ErrorCode) -> Int32 {
    guard let index = slot(of: stream) else { return 0 }
    let unconsumed = streams[index].unconsumed
    if unconsumed > 0 { _ = nghttp2_session_consume_connection(session, unconsumed) }
    let announced = streams[index].announced
    streams.release(index)
    _ = nghttp2_session_set_stream_user_data(session, stream, nil)
    if announced { events.append(.streamClosed(stream: stream, code: code)) }
    return 0
  }

  /// A frame was serialized. Catches GOAWAYs nghttp2 queued on its own, and cancels the rest of an
  /// oversized request once its (431) response is complete.
  func onFrameSent(_ frame: UnsafePointer<nghttp2_frame>) -> Int32 {
    let hd = frame.pointee.hd
    switch hd.type {
    case H2Frame.goAway:
      let code = H2ErrorCode(rawValue: frame.pointee.goaway.error_code)
      guard code != .noError, failure == nil, !callerTerminated else { return 0 }
      _ = fail(libraryGoAway(code: code, frame.pointee.goaway))
    case H2Frame.headers where role == .client && frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST:
      if let index = slot(of: hd.stream_id) { streams.opened(index) }
    case H2Frame.headers, H2Frame.data:
      guard hd.flags & H2Frame.endStream != 0, role == .server, let index = slot(of: hd.stream_id),
            streams[index].discarding, nghttp2_session_get_stream_remote_close(session, hd.stream_id) == 0
      else { return 0 }
      // RFC 9113 §8.1: after a complete response the server may stop the request with NO_ERROR.
      _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), hd.stream_id, H2ErrorCode.noError.rawValue)
    default:
      break
    }
    return 0
  }

  /// Classifies a GOAWAY nghttp2 decided on by itself. In 1.52 its only ENHANCE_YOUR_CALM is for a
  /// SETTINGS frame with more than ``H2FloodLimits/maxSettingsEntries`` entries; everything else is a
  /// protocol violation, explained by the GOAWAY debug text.
  private func libraryGoAway(code: H2ErrorCode, _ goaway: nghttp2_goaway) -> H2Error {
    let reason = goaway.opaque_data_len > 0
      ? String(decoding: UnsafeRawBufferPointer(start: goaway.opaque_data, count: goaway.opaque_data_len), as: UTF8.self)
      : nil
    if code == .enhanceYourCalm { return H2Error(kind: .flood(.settingsEntries), code: code, reason: reason) }
    return H2Error(kind: .protocolError, code: code, reason: reason)
  }
}

/// Whole seconds of CLOCK_MONOTONIC, the clock nghttp2's own rate limiter uses.
func monotonicSeconds() -> UInt64 {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return UInt64(now.tv_sec)
}
