// LargeBodyTests: 1 GiB each way through the proxy, streamed, with the proxy's memory bounded
// (back-pressure between the two sides, ARCHITECTURE.md "The pump").
import Foundation
import Synchronization
import Testing
import TracegateTestSupport

/// Samples a process's RSS every 50 ms on its own thread and keeps the maximum.
final class RSSSampler: Sendable {
    private let state = Mutex<(peak: Int, samples: Int, stopped: Bool, failure: String?)>((0, 0, false, nil))
    private let finished = Mutex<Bool>(false)

    init(pid: Int32) {
        let thread = Thread { [self] in run(pid: pid) }
        thread.start()
    }

    private func run(pid: Int32) {
        while !state.withLock({ $0.stopped }) {
            do {
                let rss = try ProcessStats.rss(pid: pid)
                state.withLock { $0.peak = max($0.peak, rss); $0.samples += 1 }
            } catch {
                state.withLock { $0.failure = "\(error)" }
            }
            usleep(50_000)
        }
        finished.withLock { $0 = true }
    }

    /// Stops sampling; returns the peak RSS in bytes, the number of samples and any read error.
    func stop() -> (peak: Int, samples: Int, failure: String?) {
        state.withLock { $0.stopped = true }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(2)
        while !finished.withLock({ $0 }) && clock.now < deadline { usleep(5_000) }
        return state.withLock { ($0.peak, $0.samples, $0.failure) }
    }
}

extension Integration {
    @Suite struct LargeBodies {
        static let gibibyte = 1 << 30
        static let rssLimit = 100 << 20

        @Test(.timeLimit(.minutes(3)))
        func oneGiBUploadIsStreamedWithBoundedMemory() throws {
            let h = try Harness.start { request in .text("\(request.bodyLength)") }
            defer { h.stop() }
            let sampler = RSSSampler(pid: h.proxy.pid)
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: \(Self.gibibyte)\r\n\r\n"))
            #expect(client.sendPattern(totalBytes: Self.gibibyte))
            let response = client.readResponse(timeout: .seconds(120))
            let memory = sampler.stop()
            let unwrapped = try #require(response, "\(client.lastReadError ?? "")")
            #expect(unwrapped.status == 200)
            #expect(unwrapped.bodyText == String(Self.gibibyte))
            let seen = try #require(h.lastRequest)
            #expect(seen.bodyLength == Self.gibibyte)
            #expect(seen.isBodyComplete)
            #expect(seen.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: Self.gibibyte))
            #expect(memory.failure == nil)
            #expect(memory.samples > 0)
            #expect(memory.peak < Self.rssLimit, "proxy RSS peaked at \(memory.peak >> 20) MiB")
        }

        @Test(.timeLimit(.minutes(3)))
        func oneGiBDownloadIsStreamedWithBoundedMemory() throws {
            let h = try Harness.start { _ in .streamed(totalBytes: Self.gibibyte, chunked: false) }
            defer { h.stop() }
            let sampler = RSSSampler(pid: h.proxy.pid)
            let client = try RawHTTPClient.connect(port: h.port)
            defer { client.close() }
            #expect(client.send("GET /download HTTP/1.1\r\nHost: t\r\n\r\n"))
            let response = client.readResponse(timeout: .seconds(120), keepBodyUpTo: 0)
            let memory = sampler.stop()
            let unwrapped = try #require(response, "\(client.lastReadError ?? "")")
            #expect(unwrapped.status == 200)
            #expect(unwrapped.header("Content-Length") == String(Self.gibibyte))
            #expect(unwrapped.bodyLength == Self.gibibyte)
            #expect(unwrapped.bodyFNV1a64 == FixturePattern.fnv1a64(totalBytes: Self.gibibyte))
            #expect(memory.failure == nil)
            #expect(memory.samples > 0)
            #expect(memory.peak < Self.rssLimit, "proxy RSS peaked at \(memory.peak >> 20) MiB")
        }
    }
}
