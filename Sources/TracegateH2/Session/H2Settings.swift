// What a session announces in its SETTINGS frame.

/// The local settings an ``H2Session`` announces in its first SETTINGS frame (RFC 9113 §6.5.2), plus the
/// connection-level receive window it opens with a WINDOW_UPDATE on stream 0 (RFC 9113 §6.9.2: SETTINGS
/// cannot change the connection window; only WINDOW_UPDATE can).
///
/// Values outside what RFC 9113 allows (a window above 2^31-1, a frame size outside 16,384…16,777,215)
/// make ``H2Session/init(role:settings:limits:)`` throw the error nghttp2 reports for them.
public struct H2Settings: Sendable, Equatable {
  /// SETTINGS_MAX_CONCURRENT_STREAMS: streams the peer may open towards us at once. nghttp2 refuses
  /// streams beyond it with RST_STREAM(REFUSED_STREAM) (RFC 9113 §5.1.2).
  public var maxConcurrentStreams: UInt32
  /// SETTINGS_INITIAL_WINDOW_SIZE: the receive window of each stream. With automatic WINDOW_UPDATE off
  /// it bounds how much of a stream's body the peer can send before we ``H2Session/consume(stream:bytes:)``.
  public var initialWindowSize: UInt32
  /// The connection-level receive window, shared by all streams (RFC 9113 §6.9). Raised from the
  /// protocol's 65,535 by a WINDOW_UPDATE on stream 0 right after SETTINGS.
  public var connectionWindowSize: UInt32
  /// SETTINGS_MAX_FRAME_SIZE: the largest frame payload we accept.
  public var maxFrameSize: UInt32
  /// SETTINGS_MAX_HEADER_LIST_SIZE: the largest field section we accept, counted as RFC 9113 §6.5.2
  /// does (name + value + 32 per field). Advisory for the peer; the session enforces it on receive.
  public var maxHeaderListSize: UInt32
  /// SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table size our decoder allows (RFC 7541 §4.2).
  public var headerTableSize: UInt32

  public init(
    maxConcurrentStreams: UInt32 = 128,
    initialWindowSize: UInt32 = 65_535,
    connectionWindowSize: UInt32 = 1 << 20,
    maxFrameSize: UInt32 = 16_384,
    maxHeaderListSize: UInt32 = 65_536,
    headerTableSize: UInt32 = 4_096
  ) {
    self.maxConcurrentStreams = maxConcurrentStreams
    self.initialWindowSize = initialWindowSize
    self.connectionWindowSize = connectionWindowSize
    self.maxFrameSize = maxFrameSize
    self.maxHeaderListSize = maxHeaderListSize
    self.headerTableSize = headerTableSize
  }
}
