// Limits against HTTP/2 denial-of-service patterns.

/// Limits that turn abusive frame patterns into a connection error: GOAWAY(ENHANCE_YOUR_CALM) and an
/// ``H2Error`` of kind ``H2Error/Kind/flood(_:)`` from ``H2Session/receive(_:)``.
///
/// The defaults follow nghttp2's own (1000/33 stream resets, 1000 queued ACKs, 32 SETTINGS entries),
/// which nghttpx has run with in production since the 2019 and 2023 HTTP/2 DoS advisories.
public struct H2FloodLimits: Sendable, Equatable {
  /// Rapid reset (CVE-2023-44487): RST_STREAM frames a client may send in a burst. A token bucket that
  /// starts full at `resetBurst` tokens; every received RST_STREAM takes one. Server role only: a client
  /// session is not the one paying for streams the peer opens and cancels.
  public var resetBurst: UInt64
  /// Tokens the reset bucket regains per second (whole seconds of CLOCK_MONOTONIC, as nghttp2 counts).
  public var resetRatePerSecond: UInt64
  /// SETTINGS and PING frames each oblige us to queue an ACK (RFC 9113 §6.5.3, §6.7); a peer that sends
  /// them without reading our output makes that queue grow. Past this many queued ACKs the connection
  /// is closed (nghttp2_option_set_max_outbound_ack).
  public var maxOutboundAcks: Int
  /// SETTINGS entries accepted in one SETTINGS frame (nghttp2_option_set_max_settings). Each entry costs
  /// work and memory before it can be rejected, and six bytes on the wire.
  public var maxSettingsEntries: Int
  /// Streams whose field section exceeded ``H2Settings/maxHeaderListSize`` that one connection may
  /// produce. Each costs a full HPACK decode (a small block can expand to megabytes through the dynamic
  /// table: an "HPACK bomb"), so past this count the connection is closed instead of the stream.
  public var maxHeaderResetsPerConnection: Int

  public init(
    resetBurst: UInt64 = 1000,
    resetRatePerSecond: UInt64 = 33,
    maxOutboundAcks: Int = 1000,
    maxSettingsEntries: Int = 32,
    maxHeaderResetsPerConnection: Int = 16
  ) {
    self.resetBurst = resetBurst
    self.resetRatePerSecond = resetRatePerSecond
    self.maxOutboundAcks = maxOutboundAcks
    self.maxSettingsEntries = maxSettingsEntries
    self.maxHeaderResetsPerConnection = maxHeaderResetsPerConnection
  }
}
