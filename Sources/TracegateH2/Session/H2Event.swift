// What a session reports after receiving (and sending) bytes.
import TracegateHTTP

/// What a header block is, from the receiving session's point of view.
public enum H2HeadersKind: Sendable, Equatable {
  /// A request's header section (server role).
  case request
  /// A final (non-1xx) response's header section (client role).
  case response
  /// A 1xx interim response (client role, RFC 9113 §8.1; e.g. 103 Early Hints).
  case informational
  /// A trailer section: a HEADERS frame after the body, always with END_STREAM (RFC 9113 §8.1).
  case trailers
}

/// Names a header block received by an ``H2Session``; read it with ``H2Session/fields(_:)``.
/// Valid until ``H2Session/removeAllEvents()``.
public struct H2FieldsRef: Sendable, Equatable {
  let index: Int32
}

/// Something the session learnt or did, for the data plane to act on.
///
/// Events accumulate in ``H2Session/events`` in the order they happened until
/// ``H2Session/removeAllEvents()``. ``H2Session/receive(_:)`` produces most of them; ``H2Session/send(into:limit:)``
/// can add ``streamClosed(stream:code:)`` (a stream ends when its last frame is sent) and
/// ``bodyWritable(stream:)``.
public enum H2Event: Sendable, Equatable {
  /// A complete header block (HEADERS plus any CONTINUATION). `endStream` is set when the peer will
  /// send nothing more on the stream (a request without body, trailers).
  case headers(stream: Int32, kind: H2HeadersKind, fields: H2FieldsRef, endStream: Bool)
  /// A header block exceeded ``H2Settings/maxHeaderListSize`` (RFC 9113 §6.5.2, §10.5.1); its fields were
  /// dropped. For a `.request` on the server role the stream stays open so the caller can answer
  /// 431 (RFC 6585 §5) with ``H2Session/submitResponse(stream:fields:endStream:)``; the request's body is
  /// discarded (flow control credited by the session) and, once the response is sent, the rest of the
  /// request is cancelled with RST_STREAM(NO_ERROR) (RFC 9113 §8.1). For every other kind the session
  /// has reset the stream with PROTOCOL_ERROR and a ``streamClosed(stream:code:)`` follows.
  case headerListTooLarge(stream: Int32, kind: H2HeadersKind)
  /// DATA payload (padding removed); read it with ``H2Session/payload(_:)``. Consecutive DATA of one
  /// stream within one call are merged into one event. A DATA frame with END_STREAM and no payload gives
  /// an empty payload with `endStream` set. Call ``H2Session/consume(stream:bytes:)`` once the payload
  /// has been passed on: that is what reopens the peer's flow-control window.
  case data(stream: Int32, payload: ByteRange, endStream: Bool)
  /// The stream is closed: both sides ended it, or either side reset it (also for
  /// ``H2Session/resetStream(_:code:)``, once the RST_STREAM is sent). The session forgot the stream; its
  /// token and buffered body are gone. Only reported for streams the caller knows (its own requests,
  /// and requests it was given an event for): a request nghttp2 rejects while decoding it closes silently. A client's stream refused by GOAWAY closes with REFUSED_STREAM:
  /// the request was not processed and may be retried elsewhere (RFC 9113 §6.8, §8.7).
  case streamClosed(stream: Int32, code: H2ErrorCode)
  /// The stream's buffered outbound body fell to half of ``H2Session/outboundBodyWindow`` after having
  /// reached it: append again.
  case bodyWritable(stream: Int32)
  /// The peer sent GOAWAY (RFC 9113 §6.8): no new streams on this connection. On the client role, streams
  /// above `lastStreamID` are reported closed with REFUSED_STREAM.
  case goAway(lastStreamID: Int32, code: H2ErrorCode)
  /// The peer's SETTINGS were applied; `maxConcurrentStreams` is the number of streams we may open.
  case remoteSettings(maxConcurrentStreams: UInt32)
}
