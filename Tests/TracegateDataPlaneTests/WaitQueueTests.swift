// WaitQueueTests.swift — the pending queue's order and compaction.
import Testing

@testable import TracegateDataPlane

@Suite("WaitQueue")
struct WaitQueueTests {
    @Test("First in, first out, across compactions")
    func fifo() {
        var q = WaitQueue()
        #expect(q.isEmpty && q.pop() == nil)
        var next: Int32 = 0
        var expected: Int32 = 0
        for round in 0..<50 {
            for _ in 0..<(round % 7 + 3) {
                q.push(WaitQueue.Waiter(fd: next, generation: 1))
                next += 1
            }
            for _ in 0..<(round % 5 + 1) {
                guard let w = q.pop() else { break }
                #expect(w.fd == expected)
                expected += 1
            }
        }
        while let w = q.pop() {
            #expect(w.fd == expected)
            expected += 1
        }
        #expect(expected == next && q.isEmpty && q.count == 0)
    }
}
