// ExemplarCellTests: the seqlock around exemplars never lets a reader see half of a write.
import Foundation
import Synchronization
import Testing
@testable import TracegateDataPlane

@Suite struct ExemplarCellTests {
    /// A flag two threads share.
    final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    /// The exemplar cell of bucket `bucket` of route slot 0.
    static func cell(_ metrics: WorkerMetrics, bucket: Int) -> ExemplarCell {
        WorkerMetrics.exemplarCell(metrics.routes + WorkerMetrics.Layout.routeHistogram, bucket: bucket)
    }

    @Test func aReaderSkipsAWriteInProgressAndSeesItOncePublished() {
        let metrics = WorkerMetrics(capacity: .init(routes: 2, clusters: 2, endpoints: 2))
        let cell = Self.cell(metrics, bucket: 0)
        #expect(cell.read() == nil, "never written")
        let first = Exemplar(traceHi: 1, traceLo: 1, spanID: 1, valueNanos: 1, wallNanos: 1)
        cell.write(first)
        #expect(cell.read() == first)
        let second = Exemplar(traceHi: 2, traceLo: 2, spanID: 2, valueNanos: 2, wallNanos: 2)
        let sequence = cell.begin()
        cell.fill(Exemplar(traceHi: 2, traceLo: 1, spanID: 1, valueNanos: 1, wallNanos: 1))  // half written
        #expect(cell.read() == nil, "a write in progress is not read")
        cell.fill(second)
        cell.end(sequence)
        #expect(cell.read() == second)
    }

    @Test func aConcurrentReaderNeverSeesAMixOfTwoWrites() throws {
        let metrics = WorkerMetrics(capacity: .init(routes: 2, clusters: 2, endpoints: 2))
        let stop = Flag()
        let stopped = Flag()
        // The writer records requests of 3 ms (bucket 2) whose ids all carry the same number, as
        // fast as it can, through the same entry point the worker uses.
        let writer = Thread {
            var i: UInt64 = 1
            while !stop.raised.load(ordering: .relaxed) {
                metrics.recordRequest(slot: 0, method: .get, status: 200, nanos: 3_000_000,
                                      exemplar: ExemplarSource(traceHi: i, traceLo: i, spanID: i, wallNanos: i))
                i &+= 1
            }
            stopped.raised.store(true, ordering: .releasing)
        }
        writer.start()
        let cell = Self.cell(metrics, bucket: 2)
        var reads = 0
        var changes = 0
        var torn: [Exemplar] = []
        var last: UInt64 = 0
        // Race until the reader has seen enough different writes (on a loaded two-core machine
        // the writer may get little time), bounded so a stuck writer still ends the test.
        let start = Date()
        let minimum = start.addingTimeInterval(0.5)
        let deadline = start.addingTimeInterval(15)
        while (Date() < minimum || reads < 2000 || changes < 200) && Date() < deadline {
            guard let e = cell.read(tries: 1) else { continue }
            reads += 1
            if e.traceHi != e.traceLo || e.traceLo != e.spanID || e.spanID != e.wallNanos || e.valueNanos != 3_000_000 {
                torn.append(e)
            }
            if e.traceHi != last { changes += 1; last = e.traceHi }
        }
        stop.raised.store(true, ordering: .relaxed)
        while !stopped.raised.load(ordering: .acquiring) { usleep(1000) }
        #expect(torn.count == 0, "torn exemplars, e.g. \(torn.prefix(3))")
        // The test only means something if the reader raced the writer many times.
        #expect(reads > 1000, "reads: \(reads)")
        #expect(changes > 100, "distinct exemplars seen: \(changes)")
    }
}
