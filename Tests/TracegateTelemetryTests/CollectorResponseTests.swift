import Foundation
import Testing
import TracegateTelemetry
import TracegateTestSupport

/// HTTP responses the Python receiver cannot produce (garbage, chunked bodies, dropped
/// keep-alive connections), scripted with the in-process `UpstreamFixture`.
@Suite(.serialized) struct CollectorResponseTests {
    @Test func garbageResponseIsAFailureNotACrash() throws {
        let fixture = try UpstreamFixture.start { _ in .raw("HELLO THERE\r\n\r\n") }
        defer { fixture.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces"))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue(TestSpans.simple(1))
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 1 })
        #expect(fixture.requests.count == 1)  // malformed answers are not retried
        #expect(exporter.statistics.lastError?.contains("malformed response") == true)
    }

    @Test func bodyCutShortIsRetriedThenCounted() throws {
        let fixture = try UpstreamFixture.start { _ in
            FixtureResponse(status: 200, headers: [("Content-Length", "100")], body: .bytes(Array("short".utf8))).with {
                $0.closeAfterBytes = 5
            }
        }
        defer { fixture.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces"))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue(TestSpans.simple(1))
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 1 }, "\(exporter.statistics)")
        #expect(fixture.requests.count == 2)
        #expect(
            exporter.statistics.lastError?.contains("closed the connection before a complete response") == true,
            "\(exporter.statistics.lastError ?? "nil")"
        )
    }

    @Test func oversizedAnswerIsAFailure() throws {
        let fixture = try UpstreamFixture.start { _ in
            FixtureResponse(status: 200, body: .streamed(totalBytes: 3 << 20, chunked: true))
        }
        defer { fixture.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces"))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue(TestSpans.simple(1))
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 1 }, "\(exporter.statistics)")
        #expect(fixture.requests.count == 1)
        #expect(
            exporter.statistics.lastError?.contains("larger than") == true,
            "\(exporter.statistics.lastError ?? "nil")"
        )
    }

    @Test func chunkedSuccessOverOneKeptAliveConnection() throws {
        let fixture = try UpstreamFixture.start { _ in
            .chunked([.init("{\"ok\":"), .init("true}")])
        }
        defer { fixture.stop() }
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces", maxExportBatchSize: 2)
        )
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue([TestSpans.simple(1), TestSpans.simple(2)])
        #expect(fixture.waitForRequests(count: 1))
        #expect(eventually { exporter.statistics.spansExported == 2 })
        exporter.enqueue([TestSpans.simple(3), TestSpans.simple(4)])
        #expect(fixture.waitForRequests(count: 2))
        #expect(eventually { exporter.statistics.spansExported == 4 })
        let requests = fixture.requests
        #expect(requests.map(\.connectionNumber) == [requests[0].connectionNumber, requests[0].connectionNumber])
        #expect(requests.map(\.sequenceOnConnection) == [1, 2])
        #expect(requests[0].method == "POST" && requests[0].path == "/v1/traces")
        #expect(requests[0].header("Content-Length") == String(requests[0].bodyLength))
        #expect(fixture.acceptedConnections == 1)
    }

    @Test func connectionClosedByTheCollectorIsReopened() throws {
        let fixture = try UpstreamFixture.start { _ in FixtureResponse.status(200).with { $0.closeConnection = true } }
        defer { fixture.stop() }
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces", maxExportBatchSize: 1)
        )
        defer { exporter.shutdown(flushWithin: .zero) }
        for n in 0..<3 { exporter.enqueue(TestSpans.simple(UInt64(n))) }
        #expect(eventually { exporter.statistics.spansExported == 3 })
        #expect(exporter.statistics.exportFailures == 0)
        #expect(fixture.acceptedConnections == 3)
    }

    @Test func resetBeforeAnswerIsRetriedOnANewConnection() throws {
        let fixture = try UpstreamFixture.start { request in
            request.connectionNumber == 1 ? .reset : .status(204)
        }
        defer { fixture.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces"))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue(TestSpans.simple(1))
        #expect(eventually { exporter.statistics.spansExported == 1 }, "\(exporter.statistics)")
        #expect(exporter.statistics.exportRequests == 2)
        #expect(exporter.statistics.exportFailures == 1)
    }

    @Test func droppedExporterCutsItsRequestShortAndStops() throws {
        let fixture = try UpstreamFixture.start { _ in .hang }
        defer { fixture.stop() }
        var exporter: OTLPExporter? = try OTLPExporter(
            configuration: TestSpans.configuration("http://\(fixture.address)/v1/traces", timeout: .seconds(60))
        )
        exporter?.enqueue(TestSpans.simple(1))
        #expect(fixture.waitForRequests(count: 1))
        #expect(threadNames().contains("tg-otlp"))
        let clock = ContinuousClock()
        let start = clock.now
        exporter = nil  // deinit neither waits for the hung request nor leaves it running
        #expect(clock.now - start < .milliseconds(100))
        #expect(fixture.waitForOpenConnections(atMost: 0, timeout: .seconds(5)))
    }

    /// Names of this process's threads.
    private func threadNames() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines
            )
        }
    }
}
