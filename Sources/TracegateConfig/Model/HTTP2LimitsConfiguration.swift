// HTTP2LimitsConfiguration.swift — per-connection limits for HTTP/2 clients.

/// `limits.http2` — what one HTTP/2 client connection may use, and how much abuse it gets away
/// with before it is closed.
///
/// Every limit bounds memory or CPU a single connection can claim (DESIGN.md principle 6). The
/// flood limits answer the known HTTP/2 denial-of-service patterns; the names of the
/// corresponding nghttp2 options are given so the numbers can be compared with other servers.
public struct HTTP2LimitsConfiguration: Sendable, Equatable {
    /// `max_concurrent_streams`. Default 128. 1...10000. Sent as
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` (RFC 9113 §6.5.2); a client that opens more is refused
    /// with `REFUSED_STREAM` (RFC 9113 §5.1.2), which it may retry.
    public var maxConcurrentStreams: Int
    /// `initial_stream_window`. Default 64KiB. 1KiB...16MiB. Sent as
    /// `SETTINGS_INITIAL_WINDOW_SIZE` (RFC 9113 §6.9.2): how many request-body bytes a client may
    /// send on one stream before Tracegate acknowledges them with `WINDOW_UPDATE`. Tracegate
    /// acknowledges bytes only once they have been passed on upstream, so a slow reader (an
    /// upstream that reads the body slowly) never makes Tracegate buffer more than this per
    /// stream. Larger windows speed up uploads over long round trips at that memory cost.
    public var initialStreamWindow: Int
    /// `initial_connection_window`. Default 1MiB. 64KiB...1GiB. The receive window for the whole
    /// connection (RFC 9113 §6.9: raised from the protocol's 65535 with a connection-level
    /// `WINDOW_UPDATE` right after the preface), bounding what all streams of one connection
    /// together can make Tracegate buffer. Below `max_concurrent_streams` × `initial_stream_window`
    /// it is the tighter of the two bounds.
    public var initialConnectionWindow: Int
    /// `max_frame_size`. Default 16KiB (16384, the protocol default). 16KiB...16MiB-1
    /// (16384...16777215, the range RFC 9113 §6.5.2 allows). Sent as `SETTINGS_MAX_FRAME_SIZE`:
    /// the largest frame payload Tracegate accepts.
    public var maxFrameSize: Int
    /// `max_header_list_size`. Default: `limits.max_header_bytes`. 1KiB...1MiB. Sent as
    /// `SETTINGS_MAX_HEADER_LIST_SIZE` (RFC 9113 §6.5.2); counted as RFC 9113 defines it (name +
    /// value + 32 bytes per field, after HPACK decoding). A larger header block gets its stream
    /// refused (RFC 9113 §10.5.1 allows a 431, RFC 6585 §5) and counts towards
    /// `max_header_resets`. The request's HTTP/1.1 translation must still fit in
    /// `limits.max_header_bytes`, so a larger value only helps header blocks whose HTTP/2 size
    /// (32 bytes per field) exceeds their HTTP/1.1 size.
    public var maxHeaderListSize: Int
    /// `reset_burst`. Default 1000. 1...100000. With `reset_rate`, a token bucket against
    /// "rapid reset" (CVE-2023-44487): each stream the client resets (`RST_STREAM`) takes a
    /// token, `reset_rate` tokens come back per second up to `reset_burst`, and a client with
    /// none left is sent `GOAWAY` and closed. nghttp2:
    /// `nghttp2_option_set_stream_reset_rate_limit(burst, rate)`, same defaults.
    public var resetBurst: Int
    /// `reset_rate`. Default 33 per second. 1...100000. See `reset_burst`.
    public var resetRate: Int
    /// `max_control_frames_queued`. Default 1000. 1...100000. Replies Tracegate owes the client
    /// (SETTINGS and PING acknowledgements) that may wait unsent; a client that makes them pile
    /// up by not reading is closed (the "ping flood" and "settings flood", CVE-2019-9512 and
    /// CVE-2019-9515). nghttp2: `nghttp2_option_set_max_outbound_ack`, same default.
    public var maxControlFramesQueued: Int
    /// `max_settings_entries`. Default 32. 1...1024. Entries accepted in one SETTINGS frame; a
    /// longer frame closes the connection (CVE-2020-11080: each entry costs work). nghttp2:
    /// `nghttp2_option_set_max_settings`, same default.
    public var maxSettingsEntries: Int
    /// `max_header_resets`. Default 100. 0...100000. Streams a connection may have refused for a
    /// header block over `max_header_list_size`; one more closes the connection (`GOAWAY`), so
    /// a client cannot keep Tracegate decoding oversized header blocks and answering them with
    /// resets (the "reset flood", CVE-2019-9514). 0 closes it at the first.
    public var maxHeaderResets: Int

    /// The defaults; `maxHeaderListSize` defaults to `limits.max_header_bytes`' default (64KiB).
    public init(
        maxConcurrentStreams: Int = 128,
        initialStreamWindow: Int = 65_536,
        initialConnectionWindow: Int = 1 << 20,
        maxFrameSize: Int = 16_384,
        maxHeaderListSize: Int = 65_536,
        resetBurst: Int = 1_000,
        resetRate: Int = 33,
        maxControlFramesQueued: Int = 1_000,
        maxSettingsEntries: Int = 32,
        maxHeaderResets: Int = 100
    ) {
        self.maxConcurrentStreams = maxConcurrentStreams
        self.initialStreamWindow = initialStreamWindow
        self.initialConnectionWindow = initialConnectionWindow
        self.maxFrameSize = maxFrameSize
        self.maxHeaderListSize = maxHeaderListSize
        self.resetBurst = resetBurst
        self.resetRate = resetRate
        self.maxControlFramesQueued = maxControlFramesQueued
        self.maxSettingsEntries = maxSettingsEntries
        self.maxHeaderResets = maxHeaderResets
    }
}
