import Foundation
import Testing
import TracegateContext
import TracegateTelemetry
import TracegateTestSupport

/// The exporter against a real OTLP receiver (Python, official definitions): what arrives, and
/// how failures are counted. Serialized: several tests measure time on a 2-core machine.
@Suite(.serialized) struct OTLPExporterTests {
    @Test func exportsSpansWithTheirIdsAttributesAndHeaders() throws {
        let receiver = try OTLPReceiver.start()
        defer { receiver.stop() }
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration(
                receiver.endpoint,
                headers: [("x-tenant", "team-a"), ("Authorization", "Bearer s3cret")]
            )
        )
        defer { exporter.shutdown(flushWithin: .seconds(2)) }

        let sent = [TestSpans.full(1), TestSpans.full(2), TestSpans.simple(3)]
        exporter.enqueue(Array(sent[0..<2]))
        exporter.enqueue(sent[2])
        let received = try receiver.waitForSpans(count: 3)
        #expect(received.count == 3)

        let byID = Dictionary(uniqueKeysWithValues: received.map { ($0.spanID, $0) })
        for data in sent {
            let span = try #require(byID[data.spanID.description])
            #expect(span.traceID == data.traceID.description)
            #expect(span.parentSpanID == (data.parentSpanID.isValid ? data.parentSpanID.description : ""))
            #expect(span.name == data.name)
            #expect(span.startTimeUnixNano == data.startUnixNanos)
            #expect(span.endTimeUnixNano == data.endUnixNanos)
            #expect(span.traceState == data.traceState)
            #expect(span.resource.attributes["service.name"] == .string("tracegate"))
            #expect(span.scope.name == "tracegate.proxy" && span.scope.version == "0.9.0")
        }
        let full = try #require(byID[sent[0].spanID.description])
        #expect(full.kind == "SPAN_KIND_SERVER")
        #expect(full.flags == 0x301)
        #expect(
            full.attributes == [
                "http.request.method": .string("GET"), "http.response.status_code": .int(503),
                "tracegate.retried": .bool(true),
                "tracegate.upstream.seconds": .double(0.125), "tracegate.index": .int(1),
            ]
        )
        #expect(full.events.map(\.name) == ["upstream.connected"])
        #expect(full.events.first?.timeUnixNano == 1_700_000_000_010_000_000)
        #expect(full.events.first?.attributes == ["server.address": .string("10.0.0.7")])
        #expect(full.links.count == 1)
        #expect(full.links.first?.traceID == "ffeeddccbbaa99887766554433221100")
        #expect(full.links.first?.spanID == "0f0e0d0c0b0a0908")
        #expect(full.links.first?.attributes == ["link.reason": .string("restarted")])
        #expect(full.status.code == "STATUS_CODE_ERROR")
        #expect(full.status.message == "upstream answered 503")
        let simple = try #require(byID[sent[2].spanID.description])
        #expect(simple.kind == "SPAN_KIND_CLIENT")
        #expect(simple.status.code == "STATUS_CODE_UNSET")
        #expect(simple.flags == 0x101)

        let request = try #require(try receiver.requests().first)
        #expect(request.path == "/v1/traces")
        #expect(request.headers["user-agent"] == "tracegate/1.2.3-test")
        #expect(request.headers["content-type"] == "application/x-protobuf")
        #expect(request.headers["x-tenant"] == "team-a")
        #expect(request.headers["authorization"] == "Bearer s3cret")
        #expect(request.headers["host"] == "127.0.0.1:\(receiver.port)")

        #expect(eventually { exporter.statistics.spansExported == 3 })
        let statistics = exporter.statistics
        #expect(statistics.spansDroppedTotal == 0)
        #expect(statistics.exportFailures == 0)
        #expect(statistics.exportRequests >= 1)
        #expect(statistics.lastError == nil)
    }

    @Test func fullBatchGoesOutWithoutWaitingForTheSchedule() throws {
        let receiver = try OTLPReceiver.start()
        defer { receiver.stop() }
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration(
                receiver.endpoint,
                maxExportBatchSize: 10,
                scheduleDelay: .seconds(60)
            )
        )
        defer { exporter.shutdown(flushWithin: .zero) }
        for n in 0..<25 { exporter.enqueue(TestSpans.simple(UInt64(n))) }
        let received = try receiver.waitForSpans(count: 20, timeout: .seconds(10))
        #expect(received.count == 20)
        #expect(receiver.requestCount == 2)
        #expect(exporter.statistics.queuedSpans == 5)
    }

    @Test func shutdownFlushesWhatIsQueued() throws {
        let receiver = try OTLPReceiver.start()
        defer { receiver.stop() }
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration(receiver.endpoint, scheduleDelay: .seconds(60))
        )
        exporter.enqueue((0..<7).map { TestSpans.simple(UInt64($0)) })
        exporter.shutdown(flushWithin: .seconds(5))
        #expect(try receiver.spans().count == 7)
        #expect(exporter.statistics.spansExported == 7)
        // After shutdown nothing is queued any more, and the refusal is counted.
        exporter.enqueue(TestSpans.simple(99))
        #expect(exporter.statistics.dropped(.shutdown) == 1)
        exporter.shutdown(flushWithin: .seconds(5))  // idempotent
    }

    @Test func hangingCollectorNeverBlocksEnqueueAndDropsAreCounted() throws {
        let receiver = try OTLPReceiver.start(mode: .hang)
        defer { receiver.stop() }
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration(
                receiver.endpoint,
                timeout: .milliseconds(300),
                maxQueueSize: 100,
                maxExportBatchSize: 10,
                scheduleDelay: .milliseconds(10)
            )
        )
        let clock = ContinuousClock()
        var slowest = Duration.zero
        let total = 3000
        let start = clock.now
        for n in 0..<total {
            let before = clock.now
            exporter.enqueue(TestSpans.simple(UInt64(n)))
            slowest = max(slowest, clock.now - before)
            if n % 500 == 0 { usleep(100_000) }  // spread over the first export timeouts
        }
        let enqueueTime = clock.now - start
        #expect(slowest < .milliseconds(100), "one enqueue took \(slowest)")
        #expect(enqueueTime < .seconds(2), "enqueueing took \(enqueueTime)")
        #expect(exporter.statistics.dropped(.queueFull) > 0)
        #expect(eventually { exporter.statistics.dropped(.exportFailed) >= 10 }, "\(exporter.statistics)")
        #expect(receiver.requestCount >= 1)

        let shutdownStart = clock.now
        exporter.shutdown(flushWithin: .milliseconds(500))
        let shutdownTime = clock.now - shutdownStart
        #expect(shutdownTime < .seconds(2), "shutdown took \(shutdownTime)")

        let statistics = exporter.statistics
        #expect(statistics.spansExported == 0)
        #expect(statistics.queuedSpans == 0)
        // Every span is accounted for: nothing vanishes without a counter.
        #expect(statistics.spansDroppedTotal == UInt64(total), "\(statistics)")
        #expect(
            statistics.lastError?.contains("did not answer in time") == true
                || statistics.lastError?.contains("shutdown") == true,
            "\(statistics.lastError ?? "nil")"
        )
    }

    @Test func serviceUnavailableIsRetriedOnceThenCounted() throws {
        let receiver = try OTLPReceiver.start(mode: .fail503)
        defer { receiver.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration(receiver.endpoint))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue([TestSpans.simple(1), TestSpans.simple(2)])
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 2 })
        #expect(receiver.waitForRequests(count: 2))
        let statistics = exporter.statistics
        #expect(statistics.exportRequests == 2)
        #expect(statistics.exportFailures == 2)
        #expect(statistics.spansExported == 0)
        #expect(statistics.lastError?.contains("503") == true)
        // No third attempt.
        usleep(200_000)
        #expect(receiver.requestCount == 2)
    }

    @Test func retryAfterIsHonouredUpToItsCap() throws {
        let receiver = try OTLPReceiver.start(mode: .fail503, retryAfter: 1)
        defer { receiver.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration(receiver.endpoint, timeout: .seconds(3)))
        defer { exporter.shutdown(flushWithin: .zero) }
        let clock = ContinuousClock()
        let start = clock.now
        exporter.enqueue(TestSpans.simple(1))
        #expect(receiver.waitForRequests(count: 1))
        #expect(receiver.waitForRequests(count: 2, timeout: .seconds(5)))
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(950), "retried after \(elapsed), Retry-After: 1")

        // A longer Retry-After than the cap is cut to the cap.
        let impatient = try OTLPReceiver.start(mode: .fail503, retryAfter: 30)
        defer { impatient.stop() }
        let capped = try OTLPExporter(
            configuration: TestSpans.configuration(impatient.endpoint, maxRetryDelay: .milliseconds(100))
        )
        defer { capped.shutdown(flushWithin: .zero) }
        capped.enqueue(TestSpans.simple(2))
        #expect(impatient.waitForRequests(count: 2, timeout: .seconds(3)))
        #expect(eventually(timeout: .seconds(3)) { capped.statistics.dropped(.exportFailed) == 1 })
    }

    @Test func otherErrorStatusesAreNotRetried() throws {
        let receiver = try OTLPReceiver.start(mode: .fail500)
        defer { receiver.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration(receiver.endpoint))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue(TestSpans.simple(1))
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 1 })
        usleep(200_000)
        #expect(receiver.requestCount == 1)
        #expect(exporter.statistics.exportFailures == 1)
        #expect(exporter.statistics.lastError?.hasPrefix("collector answered 500") == true)
    }

    @Test func partialSuccessCountsRejectedSpans() throws {
        let receiver = try OTLPReceiver.start(mode: .partial, rejected: 2)
        defer { receiver.stop() }
        let exporter = try OTLPExporter(configuration: TestSpans.configuration(receiver.endpoint))
        defer { exporter.shutdown(flushWithin: .zero) }
        exporter.enqueue((0..<5).map { TestSpans.simple(UInt64($0)) })
        #expect(eventually { exporter.statistics.spansExported == 3 })
        let statistics = exporter.statistics
        #expect(statistics.dropped(.rejected) == 2)
        #expect(statistics.exportFailures == 0)
        #expect(statistics.lastError?.contains("rejected by test receiver") == true)
    }

    @Test func nothingListeningIsCountedAsExportFailed() throws {
        let port = try closedPort()
        let exporter = try OTLPExporter(configuration: TestSpans.configuration("http://127.0.0.1:\(port)/v1/traces"))
        exporter.enqueue([TestSpans.simple(1), TestSpans.simple(2)])
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 2 })
        let statistics = exporter.statistics
        #expect(statistics.exportRequests == 2)  // connection refused is retried once
        #expect(
            statistics.lastError?.contains("cannot connect to collector 127.0.0.1:\(port)") == true,
            "\(statistics.lastError ?? "nil")"
        )
        exporter.shutdown(flushWithin: .seconds(1))
    }

    @Test func unresolvableHostIsCountedAsExportFailed() throws {
        let exporter = try OTLPExporter(
            configuration: TestSpans.configuration("http://tracegate-no-such-host.invalid:4318")
        )
        exporter.enqueue(TestSpans.simple(1))
        #expect(eventually { exporter.statistics.dropped(.exportFailed) == 1 })
        #expect(
            exporter.statistics.lastError?.contains("cannot resolve collector host tracegate-no-such-host.invalid")
                == true
        )
        exporter.shutdown(flushWithin: .seconds(1))
    }

    /// A port on 127.0.0.1 that was just free: bound, then closed.
    private func closedPort() throws -> Int {
        let fixture = try UpstreamFixture.start()
        let port = fixture.port
        fixture.stop()
        return port
    }
}
