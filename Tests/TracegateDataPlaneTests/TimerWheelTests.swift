// TimerWheelTests: the per-worker timing wheel, with a manual clock.
import Testing
@testable import TracegateDataPlane

@Suite struct TimerWheelTests {
    let ms: UInt64 = 1_000_000

    @Test func firesOnlyWhenDue() {
        var wheel = TimerWheel(tickNanos: 10 * ms, slotCount: 64, now: 0)
        wheel.schedule(fd: 5, generation: 1, deadline: 35 * ms)
        var due: [TimerWheel.Entry] = []
        wheel.collectDue(now: 30 * ms, into: &due)
        #expect(due.isEmpty)
        wheel.collectDue(now: 40 * ms, into: &due)
        #expect(due == [TimerWheel.Entry(fd: 5, generation: 1, deadline: 35 * ms)])
        #expect(wheel.count == 0)
    }

    @Test func entriesBeyondOneRevolutionWaitForTheirTurn() {
        var wheel = TimerWheel(tickNanos: 10 * ms, slotCount: 8, now: 0)  // 80 ms per revolution
        wheel.schedule(fd: 1, generation: 1, deadline: 250 * ms)
        var due: [TimerWheel.Entry] = []
        for t in stride(from: UInt64(0), through: 240, by: 10) {
            wheel.collectDue(now: t * ms, into: &due)
            #expect(due.isEmpty, "fired early at \(t) ms")
        }
        wheel.collectDue(now: 260 * ms, into: &due)
        #expect(due.count == 1)
    }

    @Test func sleepingPastManyRevolutionsFiresEverythingDue() {
        var wheel = TimerWheel(tickNanos: 10 * ms, slotCount: 8, now: 0)
        for i in 0..<20 { wheel.schedule(fd: Int32(i), generation: 0, deadline: UInt64(i * 15) * ms) }
        var due: [TimerWheel.Entry] = []
        wheel.collectDue(now: 10_000 * ms, into: &due)
        #expect(due.count == 20)
        #expect(wheel.pollTimeoutMillis() == -1)
    }

    @Test func pastDeadlinesFireOnNextAdvance() {
        var wheel = TimerWheel(tickNanos: 10 * ms, slotCount: 16, now: 100 * ms)
        wheel.schedule(fd: 3, generation: 7, deadline: 50 * ms)
        var due: [TimerWheel.Entry] = []
        wheel.collectDue(now: 100 * ms, into: &due)
        #expect(due.map(\.fd) == [3])
    }
}
