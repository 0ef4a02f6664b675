// An HTTP/2 connection over libnghttp2, driven by bytes the data plane reads and writes.
import CNghttp2
import TracegateHTTP

/// One HTTP/2 connection, server or client side, as a byte-in/byte-out state machine over nghttp2.
///
/// The data plane feeds what it read from the socket to ``receive(_:)``, acts on ``events``, submits
/// responses/requests and bodies, and writes what ``send(into:limit:)`` produces. No I/O, no threads,
/// no locks: a session belongs to one worker (it is not `Sendable`).
///
/// Memory: header blocks of the current events live in a pool of reused ``FieldBlock``s and DATA
/// payloads in one reused scratch buffer, both recycled by ``removeAllEvents()``; per-stream state
/// lives in a slab (``H2StreamTable``). A warm session allocates nothing per frame (nghttp2's own
/// frame and HPACK buffers aside).
///
/// Flow control (RFC 9113 §5.2): nghttp2's automatic WINDOW_UPDATE is off. A stream's window only
/// reopens when the caller reports with ``consume(stream:bytes:)`` that it passed DATA on, so a slow
/// reader on the other side of the proxy slows the HTTP/2 peer down instead of filling memory.
public final class H2Session {
  /// The side this session speaks for.
  public let role: H2Role
  /// What we announced.
  public let settings: H2Settings
  /// The flood limits in force.
  public let limits: H2FloodLimits

  /// Buffered outbound body per stream above which the caller should stop appending; the session emits
  /// ``H2Event/bodyWritable(stream:)`` once a stream that reached it has drained to half of it.
  public var outboundBodyWindow: Int = 65_536

  /// The nghttp2 session (`nghttp2_session *`).
  let session: OpaquePointer

  /// Events since the last ``removeAllEvents()``, in order.
  public internal(set) var events: [H2Event] = []
  /// Header blocks referenced by events; `fieldsInUse` of them are live.
  var fieldPool: [FieldBlock] = []
  var fieldsInUse = 0
  /// DATA payloads referenced by events (reader index stays 0).
  var inbound = IOBuffer()
  /// Frames serialized during ``receive(_:)`` (see ``stageReactions()``), handed out first by `send`.
  var staged = IOBuffer()
  var streams = H2StreamTable()
  var nameValues = H2NameValues()
  var resetLimiter: H2ResetRateLimiter

  /// The connection failure, once there is one (the error ``receive(_:)`` or ``send(into:limit:)``
  /// returned); every later call reports it.
  public internal(set) var failure: H2Error?
  /// Set by a callback right before it returns NGHTTP2_ERR_CALLBACK_FAILURE, to say why.
  var callbackFailure: H2Error?
  /// The caller closed the connection with an error code (``goAway(code:)``): the GOAWAY that follows is ours.
  var callerTerminated = false
  /// Inside ``stageReactions()``: the data provider must not produce DATA (back-pressure belongs to `send`).
  var pumping = false
  var shutdown = H2ShutdownState.open

  /// The header block being received (blocks never interleave: RFC 9113 §6.10).
  var block = H2InboundBlock()
  /// Streams whose header section went over the limit, for ``H2FloodLimits/maxHeaderResetsPerConnection``.
  var oversizedHeaderBlocks = 0

  /// Creates a session and queues our SETTINGS (and the connection WINDOW_UPDATE); the client role also
  /// queues the connection preface. Nothing is written until ``send(into:limit:)``.
  public init(role: H2Role, settings: H2Settings = H2Settings(), limits: H2FloodLimits = H2FloodLimits()) throws(H2Error) {
    var callbacks: OpaquePointer?
    guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else {
      throw H2Error.library(Int(NGHTTP2_ERR_NOMEM.rawValue))
    }
    defer { nghttp2_session_callbacks_del(callbacks) }
    H2Callbacks.install(in: callbacks)

    var option: OpaquePointer?
    guard nghttp2_option_new(&option) == 0, let option else { throw H2Error.library(Int(NGHTTP2_ERR_NOMEM.rawValue)) }
    defer { nghttp2_option_del(option) }
    nghttp2_option_set_no_auto_window_update(option, 1)
    nghttp2_option_set_no_closed_streams(option, 1)
    nghttp2_option_set_max_outbound_ack(option, limits.maxOutboundAcks)
    nghttp2_option_set_max_settings(option, limits.maxSettingsEntries)
    // Same bucket as ours; ours is consulted first for every RST_STREAM (see H2ResetRateLimiter).
    nghttp2_option_set_stream_reset_rate_limit(option, limits.resetBurst, limits.resetRatePerSecond)

    var created: OpaquePointer?
    let rv = switch role {
    case .server: nghttp2_session_server_new2(&created, callbacks, nil, option)
    case .client: nghttp2_session_client_new2(&created, callbacks, nil, option)
    }
    guard rv == 0, let created else { throw H2Error.library(Int(rv)) }

    self.role = role
    self.settings = settings
    self.limits = limits
    self.session = created
    self.resetLimiter = H2ResetRateLimiter(burst: limits.resetBurst, rate: limits.resetRatePerSecond)
    nghttp2_session_set_user_data(created, Unmanaged.passUnretained(self).toOpaque())

    if let error = submitLocalSettings() { throw error }
  }

  deinit {
    nghttp2_session_del(session)
    streams.releaseAll()
    inbound.release()
    staged.release()
    nameValues.release()
  }

  /// SETTINGS (RFC 9113 §6.5.2), then the connection window (RFC 9113 §6.9.2).
  private func submitLocalSettings() -> H2Error? {
    var entries: [nghttp2_settings_entry] = [
      .init(settings_id: Int32(NGHTTP2_SETTINGS_HEADER_TABLE_SIZE.rawValue), value: settings.headerTableSize),
      .init(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: settings.maxConcurrentStreams),
      .init(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: settings.initialWindowSize),
      .init(settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue), value: settings.maxFrameSize),
      .init(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: settings.maxHeaderListSize),
    ]
    // A client refuses server push (RFC 9113 §6.5.2: a server must not send ENABLE_PUSH at all).
    if role == .client {
      entries.append(.init(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0))
    }
    let rv = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), entries, entries.count)
    if rv != 0 { return .library(Int(rv)) }
    guard settings.connectionWindowSize <= UInt32(Int32.max) else {
      return .library(Int(NGHTTP2_ERR_INVALID_ARGUMENT.rawValue))
    }
    let window = nghttp2_session_set_local_window_size(
      session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Int32(settings.connectionWindowSize))
    return window == 0 ? nil : .library(Int(window))
  }

  // MARK: Bytes in, bytes out

  /// Feeds bytes read from the connection. Either all of them are processed or the session failed.
  ///
  /// Events are appended to ``events``; read them after the call (iterating ``events`` while calling
  /// `receive` or `send` makes the array copy itself). Frames nghttp2 queues in reaction (SETTINGS/PING
  /// ACKs, WINDOW_UPDATE, RST_STREAM, GOAWAY; up to 16 KiB) are serialized before this returns (see
  /// ``stageReactions()``), which is how a GOAWAY that nghttp2 decided on by itself becomes this call's
  /// error; ``send(into:limit:)`` hands them out first.
  ///
  /// - Returns: nil while the connection is fine; otherwise the failure: GOAWAY is queued, flush
  ///   ``send(into:limit:)`` until ``wantsWrite`` is false, then close.
  public func receive(_ bytes: UnsafeRawBufferPointer) -> H2Error? {
    if let failure { return failure }
    guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
    let rv = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    if rv < 0 { return fail(receiveError(rv)) }
    stageReactions()
    return failure
  }

  /// Appends the frames nghttp2 has ready to `out`, until at least `limit` bytes were appended by this
  /// call or nothing is left. Frames are never split: the call may overshoot `limit` by one frame (at
  /// most 9 + 16,384 bytes) plus the frames staged by ``receive(_:)``.
  ///
  /// - Returns: the session's failure, if it has one (sticky); `out` still holds bytes to write (the
  ///   GOAWAY among them).
  public func send(into out: inout IOBuffer, limit: Int) -> H2Error? {
    var written = 0
    if !staged.isEmpty {
      out.append(staged.readable)
      written = staged.readableBytes
      staged.clear()
    }
    while written < limit {
      var data: UnsafePointer<UInt8>?
      let n = nghttp2_session_mem_send(session, &data)
      if n < 0 {
        _ = fail(sendError(n))
        break
      }
      if n == 0 { break }
      out.append(UnsafeRawBufferPointer(start: data, count: n))
      written += n
    }
    return failure
  }

  /// Upper bound of ``staged``: past it, frames stay in nghttp2's queue, where its ACK flood counter
  /// (``H2FloodLimits/maxOutboundAcks``) sees them.
  static let stagingLimit = 16_384

  /// Serializes what nghttp2 queued while processing input into ``staged``, without producing DATA.
  ///
  /// nghttp2 decides on many connection errors inside `nghttp2_session_mem_recv` (bad padding, frame
  /// too large, too many SETTINGS entries…) by queueing GOAWAY and returning success, with no callback
  /// and no API to ask. The GOAWAY becomes visible in the frame-send callback, so the session serializes
  /// the queue right away. Control frames leave nghttp2's queue before any DATA (urgent, then regular,
  /// then request HEADERS, then DATA), and the data provider answers NGHTTP2_ERR_PAUSE while pumping, so
  /// this stops exactly where DATA would start and never bypasses the caller's `limit`.
  func stageReactions() {
    pumping = true
    defer { pumping = false }
    while staged.readableBytes < H2Session.stagingLimit {
      var data: UnsafePointer<UInt8>?
      let n = nghttp2_session_mem_send(session, &data)
      if n < 0 {
        _ = fail(sendError(n))
        return
      }
      if n == 0 { return }
      staged.append(UnsafeRawBufferPointer(start: data, count: n))
    }
  }

  /// True while the session expects more input (`nghttp2_session_want_read`). When both this and
  /// ``wantsWrite`` are false the connection is finished and may be closed.
  public var wantsRead: Bool { failure == nil && nghttp2_session_want_read(session) != 0 }

  /// True while ``send(into:limit:)`` has something to produce.
  public var wantsWrite: Bool { !staged.isEmpty || nghttp2_session_want_write(session) != 0 }

  // MARK: Events

  /// Forgets the current events and recycles the header blocks and payload scratch they referenced.
  public func removeAllEvents() {
    events.removeAll(keepingCapacity: true)
    fieldsInUse = 0
    inbound.clear()
  }

  /// The header fields of a ``H2Event/headers(stream:kind:fields:endStream:)`` event, in received order,
  /// pseudo-header fields first (RFC 9113 §8.3). nghttp2 has validated them (RFC 9113 §8.2.1); `cookie`
  /// may arrive split into several fields (RFC 9113 §8.2.3).
  public func fields(_ ref: H2FieldsRef) -> FieldBlock {
    fieldPool[Int(ref.index)]
  }

  /// The bytes of a ``H2Event/data(stream:payload:endStream:)`` event, valid until the next
  /// ``receive(_:)`` or ``removeAllEvents()``.
  public func payload(_ range: ByteRange) -> UnsafeRawBufferPointer {
    range.bytes(in: inbound.readable)
  }

  // MARK: Streams

  /// Streams currently open (server: accepted from the peer; client: submitted, not yet closed).
  public var openStreamCount: Int { streams.live }

  /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS (100 until its first SETTINGS arrives, as nghttp2 assumes).
  public var remoteMaxConcurrentStreams: UInt32 {
    nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
  }

  /// Remembers the data plane's token (its slot) for `stream`; ignored when the stream is not open.
  public func setToken(_ token: Int32, for stream: Int32) {
    guard let index = slot(of: stream) else { return }
    streams[index].token = token
    streams[index].hasToken = true
  }

  /// The token set for `stream`, if the stream is open and has one.
  public func token(for stream: Int32) -> Int32? {
    guard let index = slot(of: stream), streams[index].hasToken else { return nil }
    return streams[index].token
  }

  /// The slab index of an open stream.
  func slot(of stream: Int32) -> Int32? {
    guard stream > 0 else { return nil }
    return streams.index(of: stream, userData: nghttp2_session_get_stream_user_data(session, stream))
  }

  // MARK: Failure

  /// Records the connection failure (the first one wins) and queues GOAWAY with its code.
  func fail(_ error: H2Error) -> H2Error {
    if let failure { return failure }
    failure = error
    // Immediate termination: GOAWAY(last processed stream, code), then nghttp2 stops reading.
    _ = nghttp2_session_terminate_session(session, error.code.rawValue)
    return error
  }

  /// Maps a fatal `nghttp2_session_mem_recv` result.
  private func receiveError(_ rv: Int) -> H2Error {
    if let reason = callbackFailure {
      callbackFailure = nil
      return reason
    }
    switch Int32(truncatingIfNeeded: rv) {
    case NGHTTP2_ERR_BAD_CLIENT_MAGIC.rawValue:
      // RFC 9113 §3.4: an invalid connection preface is a connection error of type PROTOCOL_ERROR.
      return H2Error(kind: .protocolError, code: .protocolError, reason: "invalid connection preface")
    case NGHTTP2_ERR_FLOODED.rawValue:
      return H2Error(kind: .flood(.outboundAcks), code: .enhanceYourCalm)
    case NGHTTP2_ERR_TOO_MANY_CONTINUATIONS.rawValue:
      return H2Error(kind: .flood(.continuations), code: .enhanceYourCalm)
    case NGHTTP2_ERR_CALLBACK_FAILURE.rawValue:
      return H2Error(kind: .callbackFailure, code: .internalError)
    default:
      return .library(rv)
    }
  }

  /// Maps a fatal `nghttp2_session_mem_send` result.
  private func sendError(_ rv: Int) -> H2Error {
    if let reason = callbackFailure {
      callbackFailure = nil
      return reason
    }
    if Int32(truncatingIfNeeded: rv) == NGHTTP2_ERR_CALLBACK_FAILURE.rawValue {
      return H2Error(kind: .callbackFailure, code: .internalError)
    }
    return .library(rv)
  }
}

@available(*, unavailable, message: "an H2Session belongs to one worker")
extension H2Session: Sendable {}

/// Where a server's graceful shutdown stands (``H2Session/goAway(code:)``).
enum H2ShutdownState {
  case open
  /// Shutdown notice and PING sent; the final GOAWAY follows the PING ACK (one round trip later).
  case draining
  /// The final GOAWAY is queued: no new streams.
  case closing
}

/// The header block currently being decoded.
struct H2InboundBlock {
  var stream: Int32 = 0
  /// Index into the field pool; -1 when no block is open.
  var fields: Int32 = -1
  /// RFC 9113 §6.5.2 size so far: name + value + 32 per field.
  var size = 0
  var tooLarge = false
  /// Client role: the block carries a 1xx `:status`.
  var informational = false
}
