// HTTP2LimitsConfiguration+Decoding.swift — reads `limits.http2`.

extension HTTP2LimitsConfiguration {
    static let keys = [
        "max_concurrent_streams", "initial_stream_window", "initial_connection_window", "max_frame_size",
        "max_header_list_size", "reset_burst", "reset_rate", "max_control_frames_queued", "max_settings_entries",
        "max_header_resets",
    ]

    /// Reads `http2:`; absent keys keep their defaults.
    /// - Parameter maxHeaderBytes: `limits.max_header_bytes`, the default of `max_header_list_size`.
    init(decoding field: Field, maxHeaderBytes: Int, _ diagnostics: inout Diagnostics) {
        self.init(maxHeaderListSize: maxHeaderBytes)
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        if let value = mapping["max_concurrent_streams"]?.int(in: 1...10_000, &diagnostics) {
            maxConcurrentStreams = value
        }
        if let value = mapping["initial_stream_window"]?.size(in: 1_024...(16 << 20), &diagnostics) {
            initialStreamWindow = value
        }
        if let value = mapping["initial_connection_window"]?.size(in: 65_536...(1 << 30), &diagnostics) {
            initialConnectionWindow = value
        }
        if let value = mapping["max_frame_size"]?.size(in: 16_384...16_777_215, &diagnostics) {
            maxFrameSize = value
        }
        if let value = mapping["max_header_list_size"]?.size(in: 1_024...1_048_576, &diagnostics) {
            maxHeaderListSize = value
        }
        if let value = mapping["reset_burst"]?.int(in: 1...100_000, &diagnostics) { resetBurst = value }
        if let value = mapping["reset_rate"]?.int(in: 1...100_000, &diagnostics) { resetRate = value }
        if let value = mapping["max_control_frames_queued"]?.int(in: 1...100_000, &diagnostics) {
            maxControlFramesQueued = value
        }
        if let value = mapping["max_settings_entries"]?.int(in: 1...1_024, &diagnostics) {
            maxSettingsEntries = value
        }
        if let value = mapping["max_header_resets"]?.int(in: 0...100_000, &diagnostics) { maxHeaderResets = value }
    }
}
