// RecordRing: a bounded single-producer, single-consumer ring of request records.
import CTracegateShims

/// Carries finished-request records from one worker (producer) to the control side (consumer).
///
/// Telemetry must never hurt traffic: when the consumer falls behind and the ring is full, the
/// record is dropped and counted — the worker never waits. Indices are published with
/// release/acquire, so the consumer only reads fully written records.
public final class RecordRing: @unchecked Sendable {
    // Safety: `slots[i]` is written only by the producer while i is outside [tail, head), and read
    // only by the consumer while inside it; head and tail are published with release/acquire.
    private let slots: UnsafeMutablePointer<RequestRecord>
    private let mask: UInt64
    private let indices: UnsafeMutablePointer<UInt64>  // [0] = head (producer), [1] = tail (consumer)

    public init(capacity: Int = 4096) {
        var c = 1
        while c < capacity { c <<= 1 }
        slots = .allocate(capacity: c)
        slots.initialize(repeating: RequestRecord(), count: c)
        mask = UInt64(c - 1)
        indices = .allocate(capacity: 2)
        indices.initialize(repeating: 0, count: 2)
    }

    deinit {
        slots.deinitialize(count: Int(mask + 1))
        slots.deallocate()
        indices.deallocate()
    }

    /// Producer: fills the next free slot in place. False (nothing written) when the ring is full.
    @inline(__always)
    func push(_ fill: (inout RequestRecord) -> Void) -> Bool {
        let head = indices[0]
        let tail = tg_load_acquire(indices + 1)
        guard head - tail <= mask else { return false }
        fill(&slots[Int(head & mask)])
        tg_store_release(indices, head + 1)
        return true
    }

    /// Consumer: calls `body` for every published record, then frees their slots.
    public func drain(_ body: (RequestRecord) -> Void) {
        let tail = indices[1]
        let head = tg_load_acquire(indices)
        var i = tail
        while i < head {
            body(slots[Int(i & mask)])
            i += 1
        }
        tg_store_release(indices + 1, head)
    }
}
