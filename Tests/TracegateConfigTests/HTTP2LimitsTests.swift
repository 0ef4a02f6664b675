// HTTP2LimitsTests.swift — `limits.http2`.

import Testing
import TracegateConfig

@Suite("HTTP/2 limits")
struct HTTP2LimitsTests {
    @Test("the defaults")
    func defaults() throws {
        let limits = try #require(loadValid(baseYAML)?.limits.http2)
        #expect(limits.maxConcurrentStreams == 128)
        #expect(limits.initialStreamWindow == 65_536)
        #expect(limits.initialConnectionWindow == 1_048_576)
        #expect(limits.maxFrameSize == 16_384)
        #expect(limits.maxHeaderListSize == 65_536)
        #expect(limits.resetBurst == 1_000)
        #expect(limits.resetRate == 33)
        #expect(limits.maxControlFramesQueued == 1_000)
        #expect(limits.maxSettingsEntries == 32)
        #expect(limits.maxHeaderResets == 100)
        #expect(limits == HTTP2LimitsConfiguration())
    }

    @Test("max_header_list_size follows max_header_bytes unless written, wherever http2 is written")
    func headerListSizeDefault() throws {
        let before = try #require(
            loadValid(baseYAML + "limits: {http2: {max_frame_size: 32KiB}, max_header_bytes: 32KiB}\n")
        )
        #expect(before.limits.http2.maxHeaderListSize == 32_768)
        #expect(before.limits.http2.maxFrameSize == 32_768)
        let absent = try #require(loadValid(baseYAML + "limits: {max_header_bytes: 16KiB}\n"))
        #expect(absent.limits.http2.maxHeaderListSize == 16_384)
        let explicit = try #require(
            loadValid(baseYAML + "limits: {max_header_bytes: 16KiB, http2: {max_header_list_size: 128KiB}}\n")
        )
        #expect(explicit.limits.http2.maxHeaderListSize == 131_072)
        #expect(LimitsConfiguration(maxHeaderBytes: 4_096).http2.maxHeaderListSize == 4_096)
        #expect(LimitsConfiguration().http2 == HTTP2LimitsConfiguration())
    }

    @Test("every key is read")
    func everyKey() throws {
        let text =
            baseYAML + """
                limits:
                  http2:
                    max_concurrent_streams: 500
                    initial_stream_window: 256KiB
                    initial_connection_window: 8MiB
                    max_frame_size: 16777215
                    max_header_list_size: 32KiB
                    reset_burst: 200
                    reset_rate: 10
                    max_control_frames_queued: 50
                    max_settings_entries: 16
                    max_header_resets: 0

                """
        let limits = try #require(loadValid(text)?.limits.http2)
        #expect(
            limits
                == HTTP2LimitsConfiguration(
                    maxConcurrentStreams: 500,
                    initialStreamWindow: 262_144,
                    initialConnectionWindow: 8_388_608,
                    maxFrameSize: 16_777_215,
                    maxHeaderListSize: 32_768,
                    resetBurst: 200,
                    resetRate: 10,
                    maxControlFramesQueued: 50,
                    maxSettingsEntries: 16,
                    maxHeaderResets: 0
                )
        )
    }

    @Test(
        "range and key errors",
        arguments: [
            ("max_concurrent_streams: 0", "max_concurrent_streams: must be between 1 and 10000 (got 0)"),
            ("max_concurrent_streams: 10001", "max_concurrent_streams: must be between 1 and 10000 (got 10001)"),
            ("initial_stream_window: 512", "initial_stream_window: must be between 1KiB and 16MiB (got 512)"),
            ("initial_stream_window: 32MiB", "initial_stream_window: must be between 1KiB and 16MiB (got 32MiB)"),
            (
                "initial_connection_window: 1KiB",
                "initial_connection_window: must be between 64KiB and 1GiB (got 1KiB)"
            ),
            ("max_frame_size: 8KiB", "max_frame_size: must be between 16KiB and 16777215 (got 8KiB)"),
            ("max_frame_size: 16MiB", "max_frame_size: must be between 16KiB and 16777215 (got 16MiB)"),
            ("max_header_list_size: 2MiB", "max_header_list_size: must be between 1KiB and 1MiB (got 2MiB)"),
            ("reset_burst: 0", "reset_burst: must be between 1 and 100000 (got 0)"),
            ("reset_rate: 0", "reset_rate: must be between 1 and 100000 (got 0)"),
            ("reset_rate: 2.5", "reset_rate: expected an integer"),
            ("max_control_frames_queued: 0", "max_control_frames_queued: must be between 1 and 100000 (got 0)"),
            ("max_settings_entries: 2000", "max_settings_entries: must be between 1 and 1024 (got 2000)"),
            ("max_header_resets: -1", "max_header_resets: must be between 0 and 100000 (got -1)"),
            (
                "max_concurent_streams: 10",
                "max_concurent_streams: unknown key \"max_concurent_streams\" (did you mean \"max_concurrent_streams\"?)"
            ),
            ("initial_window: 1MiB", "initial_window: unknown key \"initial_window\""),
        ]
    )
    func errors(snippet: String, expected: String) {
        #expect(loadErrors(baseYAML + "limits: {http2: {\(snippet)}}\n") == ["limits.http2." + expected])
    }

    @Test("http2 must be a mapping")
    func notAMapping() {
        #expect(loadErrors(baseYAML + "limits: {http2: true}\n") == ["limits.http2: expected a mapping"])
        #expect(
            loadErrors(baseYAML + "limits: {htpp2: {}}\n") == [
                "limits.htpp2: unknown key \"htpp2\" (did you mean \"http2\"?)"
            ]
        )
    }
}
