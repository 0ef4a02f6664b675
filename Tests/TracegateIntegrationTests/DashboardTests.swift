// DashboardTests: the live dashboard on the admin listener — the page, its event stream, the
// stream cap, and the page in a real browser (headless Chromium) with traffic flowing.
import Dispatch
import Foundation
import Synchronization
import Testing
import TracegateTestSupport

extension Integration {
    @Suite("Live dashboard")
    struct DashboardTests {
        static let template = "http://jaeger.test:16686/trace/{trace_id}"

        static func config(_ backend: String) -> String {
            Configs.standard(backend: backend, extra: "telemetry: { trace_url_template: \"\(template)\" }")
        }

        @Test("/ serves the embedded page, script and style with no-store and a strict CSP")
        func pageAndAssets() throws {
            let h = try Harness.start(config: Self.config)
            defer { h.stop() }
            let page = try #require(try Admin.get(h.proxy, "/"))
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Cache-Control") == "no-store")
            let csp = try #require(page.header("Content-Security-Policy"))
            #expect(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(page.bodyText.hasPrefix("<!doctype html>"))
            #expect(page.bodyText.contains("<script src=\"/dashboard.js\" defer></script>"))
            // Self-contained: nothing is loaded from another origin.
            #expect(!page.bodyText.contains("http://") && !page.bodyText.contains("https://"))
            let script = try #require(try Admin.get(h.proxy, "/dashboard.js"))
            #expect(script.status == 200)
            #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(script.bodyText.contains("new EventSource('/debug/stream')"))
            let style = try #require(try Admin.get(h.proxy, "/dashboard.css"))
            #expect(style.header("Content-Type") == "text/css; charset=utf-8")
            #expect(style.header("Cache-Control") == "no-store")
        }

        @Test("/debug/stream sends figures with rates and each finished request once, resuming after Last-Event-ID")
        func eventStream() throws {
            let h = try Harness.start(config: Self.config)
            defer { h.stop() }
            for i in 0..<3 { #expect(try Wire.get(port: h.port, "/before/\(i)", headers: ["X-Correlation-ID: before-\(i)"])?.status == 200) }
            #expect(waitForIndexed(h, count: 3))
            let adminPort = try #require(h.proxy.adminPort)
            let client = try RawHTTPClient.connect(port: adminPort)
            defer { client.close() }
            #expect(client.send("GET /debug/stream HTTP/1.1\r\nHost: admin\r\nAccept: text/event-stream\r\n\r\n"))
            // Traffic while the stream runs: the second figures event has a non-zero rate.
            let traffic = Traffic.start(port: h.port, prefix: "during")
            let bytes = client.readUntilClose(timeout: .milliseconds(3_300))
            traffic.stop()
            let text = String(decoding: bytes, as: UTF8.self)
            let (head, events) = try SSE.parse(text)
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(head.lowercased().contains("content-type: text/event-stream"))
            #expect(head.lowercased().contains("cache-control: no-store"))
            let figures = events.filter { $0.name == "figures" }.compactMap { Wire.json(Array($0.data.utf8)) }
            #expect(figures.count >= 3, "\(text.prefix(2000))")
            let last = try #require(figures.last)
            #expect(last["trace_url_template"] as? String == Self.template)
            let route = try #require((last["routes"] as? [[String: Any]])?.first)
            #expect(route["name"] as? String == "default")
            #expect(route["cluster"] as? String == "backend")
            #expect(figures.dropFirst().contains { (($0["routes"] as? [[String: Any]])?.first?["rate_per_s"] as? Double ?? 0) > 0 })
            let cluster = try #require((last["clusters"] as? [[String: Any]])?.first)
            #expect(cluster["name"] as? String == "backend")
            let endpoint = try #require((cluster["endpoints"] as? [[String: Any]])?.first)
            #expect(endpoint["endpoint"] as? String == h.upstream.address)
            #expect(cluster["retry_budget_available"] is Int)

            let batches = events.filter { $0.name == "requests" }
            var sequences: [Int] = []
            var correlations: [String] = []
            for batch in batches {
                let object = try #require(Wire.json(Array(batch.data.utf8)))
                let list = try #require(object["requests"] as? [[String: Any]])
                let seqs = list.compactMap { $0["seq"] as? Int }
                #expect(batch.id == seqs.last.map(String.init), "the event id is the last request's sequence")
                sequences += seqs
                correlations += list.compactMap { ($0["request"] as? [String: Any])?["correlation_id"] as? String }
            }
            #expect(sequences == Array(1...(sequences.count)), "every request once, in order: \(sequences)")
            #expect(Array(correlations.prefix(3)) == ["before-0", "before-1", "before-2"])
            #expect(correlations.contains { $0.hasPrefix("during-") })

            // A reconnect with Last-Event-ID gets only what came after it.
            let resume = try RawHTTPClient.connect(port: adminPort)
            defer { resume.close() }
            #expect(resume.send("GET /debug/stream HTTP/1.1\r\nHost: admin\r\nLast-Event-ID: 2\r\n\r\n"))
            let (_, resumed) = try SSE.parse(String(decoding: resume.readUntilClose(timeout: .milliseconds(800)), as: UTF8.self))
            let first = try #require(resumed.first { $0.name == "requests" })
            let firstList = try #require(Wire.json(Array(first.data.utf8))?["requests"] as? [[String: Any]])
            #expect(firstList.first?["seq"] as? Int == 3)

            // `?events=N` ends the stream after N rounds (a terminal's `curl -N` returns).
            let bounded = try RawHTTPClient.connect(port: adminPort)
            defer { bounded.close() }
            #expect(bounded.send("GET /debug/stream?events=2 HTTP/1.1\r\nHost: admin\r\n\r\n"))
            let boundedText = String(decoding: bounded.readUntilClose(timeout: .seconds(5)), as: UTF8.self)
            #expect(bounded.lastReadError == nil, "the stream closed by itself")
            #expect(try SSE.parse(boundedText).events.filter { $0.name == "figures" }.count == 2)
            #expect(try Wire.exchange(port: adminPort, "GET /debug/stream?events=0 HTTP/1.1\r\nHost: admin\r\n\r\n")?.status == 400)
        }

        @Test("streams beyond the cap get 503 with a JSON error and are counted; a closed stream frees its place")
        func streamCap() throws {
            let h = try Harness.start(config: Self.config)
            defer { h.stop() }
            let adminPort = try #require(h.proxy.adminPort)
            var open: [RawHTTPClient] = []
            defer { open.forEach { $0.close() } }
            for _ in 0..<8 {
                let c = try RawHTTPClient.connect(port: adminPort)
                #expect(c.send("GET /debug/stream HTTP/1.1\r\nHost: admin\r\n\r\n"))
                let start = String(decoding: c.readUntilClose(timeout: .milliseconds(300)), as: UTF8.self)
                #expect(start.hasPrefix("HTTP/1.1 200"), "\(start.prefix(200))")
                open.append(c)
            }
            let refused = try #require(try Wire.exchange(port: adminPort, "GET /debug/stream HTTP/1.1\r\nHost: admin\r\n\r\n"))
            #expect(refused.status == 503)
            #expect(refused.json?["error"] as? String == "too_many_streams")
            #expect(refused.header("Retry-After") == "5")
            let state = try #require(try Admin.get(h.proxy, "/debug/state")?.json?["dashboard_streams"] as? [String: Any])
            #expect(state["rejected_total"] as? Int == 1)
            #expect(state["active"] as? Int == 8)
            let metrics = try Admin.metrics(h.proxy)
            #expect(metrics.value("tracegate_dashboard_streams_rejected_total") == 1)
            #expect(metrics.value("tracegate_dashboard_streams") == 8)
            // HEAD does not open a stream.
            #expect(try Wire.exchange(port: adminPort, "HEAD /debug/stream HTTP/1.1\r\nHost: admin\r\n\r\n", head: true)?.status == 405)
            // A client that goes away is noticed (poll sees the FIN) and its place is free again.
            open.removeLast().close()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(5)
            var again = ""
            while clock.now < deadline {
                let c = try RawHTTPClient.connect(port: adminPort)
                #expect(c.send("GET /debug/stream HTTP/1.1\r\nHost: admin\r\n\r\n"))
                again = String(decoding: c.readUntilClose(timeout: .milliseconds(300)), as: UTF8.self)
                if again.hasPrefix("HTTP/1.1 200") { open.append(c); break }
                c.close()
                usleep(100_000)
            }
            #expect(again.hasPrefix("HTTP/1.1 200"), "\(again.prefix(200))")
        }

        @Test("in headless Chromium: requests appear, the correlation filter leaves one row, its trace link follows the template, the detail shows the timeline")
        func browser() throws {
            let h = try Harness.start(config: Self.config)
            defer { h.stop() }
            let target = "browser-target-7"
            for i in 0..<5 { #expect(try Wire.get(port: h.port, "/warm/\(i)", headers: ["X-Correlation-ID: warm-\(i)"])?.status == 200) }
            let response = try #require(try Wire.get(port: h.port, "/checkout?x=1", headers: ["X-Correlation-ID: \(target)"]))
            #expect(response.status == 200)
            let traceID = try #require(Wire.traceparent(h.lastRequest?.header("traceparent"))?.traceID)
            #expect(waitForIndexed(h, count: 6))
            let traffic = Traffic.start(port: h.port, prefix: "live")
            defer { traffic.stop() }
            let adminPort = try #require(h.proxy.adminPort)
            try FileManager.default.createDirectory(atPath: TestOutput.directory, withIntermediateDirectories: true)
            let screenshot = TestOutput.directory + "/dashboard.png"
            try? FileManager.default.removeItem(atPath: screenshot)
            let seen = try DashboardBrowser.inspect(url: "http://127.0.0.1:\(adminPort)/", correlationID: target, screenshot: screenshot, minRows: 6)
            #expect(seen.status == "live")
            #expect(seen.rowsBeforeFilter >= 6)
            #expect(seen.rowsAfterFilter == [target])
            #expect(seen.traceCell == traceID)
            #expect(seen.traceLink?.text == traceID)
            #expect(seen.traceLink?.href == "http://jaeger.test:16686/trace/\(traceID)")
            #expect(seen.detailCorrelation == target)
            #expect(seen.timeline.contains("headers read"))
            #expect(seen.timeline.contains { $0.hasPrefix("attempt 1 ") })
            #expect(seen.timeline.contains("first byte") && seen.timeline.contains("last byte"))
            #expect(seen.timeline.contains("connection accepted") && seen.timeline.contains("route chosen"))
            #expect(seen.routes.first?.first == "default" && seen.routes.first?[1] == "backend")
            #expect((seen.routes.first.flatMap { Double($0[2]) } ?? 0) > 0, "the live request rate: \(seen.routes)")
            #expect(seen.endpoints.first?[1] == h.upstream.address)
            #expect(seen.dependencyNodes == ["r:default", "c:backend", "e:backend/\(h.upstream.address)"])
            #expect(seen.dependencyEdges == 2)
            #expect(seen.pageErrors.isEmpty, "\(seen.pageErrors)")
            let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
            #expect(png.count == seen.screenshotBytes && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }

        /// Polls `/debug/requests` until the index holds `count` requests (the access-log thread
        /// moves records there 20-50 ms after the response).
        func waitForIndexed(_ h: Harness, count: Int) -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(5)
            while clock.now < deadline {
                if let list = try? Admin.requests(h.proxy, query: "limit=1000"), list.count >= count { return true }
                usleep(20_000)
            }
            return false
        }
    }
}

/// Requests sent every 100 ms on a background thread until `stop()` (bounded: at most 300).
final class Traffic: Sendable {
    private let running = Atomic<Bool>(true)
    private let done = DispatchSemaphore(value: 0)

    static func start(port: Int, prefix: String) -> Traffic {
        let t = Traffic()
        DispatchQueue.global().async {
            var i = 0
            while t.running.load(ordering: .relaxed) && i < 300 {
                _ = try? Wire.get(port: port, "/\(prefix)/\(i)", headers: ["X-Correlation-ID: \(prefix)-\(i)"])
                i += 1
                usleep(100_000)
            }
            t.done.signal()
        }
        return t
    }

    func stop() {
        if running.exchange(false, ordering: .relaxed) { done.wait() }
    }
}

/// Server-Sent Events as read off the wire: the response head, then `event`/`id`/`data` blocks.
enum SSE {
    struct Event {
        var name = "message"
        var id: String?
        var data = ""
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Splits a raw stream; a trailing partial event (cut by the read timeout) is dropped. Every
    /// complete block must consist of known fields or comments.
    static func parse(_ raw: String) throws -> (head: String, events: [Event]) {
        guard let split = raw.range(of: "\r\n\r\n") else { throw Malformed(description: "no response head in \(raw.prefix(300))") }
        let head = String(raw[..<split.lowerBound])
        var body = String(raw[split.upperBound...])
        if let cut = body.range(of: "\n\n", options: .backwards) { body = String(body[..<cut.upperBound]) } else { body = "" }
        var events: [Event] = []
        for block in body.components(separatedBy: "\n\n") where !block.isEmpty {
            var event = Event()
            var hasData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") || line.hasPrefix("retry: ") { continue }
                if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                else if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                else if line.hasPrefix("data: ") { event.data += (hasData ? "\n" : "") + line.dropFirst(6); hasData = true }
                else { throw Malformed(description: "unexpected line \"\(line)\" in event block:\n\(block)") }
            }
            if hasData { events.append(event) }
        }
        return (head, events)
    }
}
