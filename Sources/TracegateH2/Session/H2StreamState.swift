// Per-stream state the session keeps beside nghttp2's own.
import TracegateHTTP

/// What the session needs to know about one open stream that nghttp2 does not track for it: the
/// caller's token, the outbound body waiting for nghttp2's data provider, and inbound bookkeeping.
///
/// Lives in ``H2StreamTable``; nghttp2 finds it through the stream's user data (the slot index).
struct H2StreamState {
  /// The stream id; 0 while a client request is being submitted.
  var streamID: Int32 = 0
  /// The data plane's slot for this stream (``H2Session/setToken(_:for:)``).
  var token: Int32 = 0
  var hasToken = false

  /// Outbound body appended by the caller and not yet copied into a DATA frame.
  var body = IOBuffer()
  /// Trailers to send after the body (kept until the data provider reaches EOF).
  var trailers: FieldBlock?
  /// A data provider is attached: the request/response was submitted without END_STREAM.
  var hasProvider = false
  /// ``H2Session/finishBody(stream:trailers:)`` was called.
  var bodyFinished = false
  /// The data provider returned NGHTTP2_ERR_DEFERRED; appending must call nghttp2_session_resume_data.
  var dataDeferred = false
  /// The buffered body reached ``H2Session/outboundBodyWindow``; `bodyWritable` is owed once it drains.
  var throttled = false

  /// Inbound DATA bytes handed out in events and not yet given back with ``H2Session/consume(stream:bytes:)``.
  var unconsumed = 0
  /// The peer's header section was over the size limit: its DATA is dropped (and credited) unseen.
  var discarding = false
  /// The caller knows the stream: it submitted it (client) or was given an event for it (server). A
  /// request nghttp2 rejects while decoding its header block closes without ever being mentioned.
  var announced = false
  /// Client role: a final response arrived, so a later header block is the trailer section.
  var finalResponseSeen = false

  var inUse = false
}
