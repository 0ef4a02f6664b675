// ExemplarCell: one exemplar in worker-owned memory, published under a sequence counter.
import CTracegateShims

/// Six words — sequence, trace id (hi, lo), span id, value, wall time — written by one worker and
/// read by the scraper without a lock (a seqlock).
///
/// Why a sequence counter: an exemplar is five words that must be read as one, and the writer is
/// on the request path, so it must never wait for a reader. The writer makes the sequence odd,
/// writes the words, and makes it even again (release); a reader that sees an odd sequence, or a
/// different sequence after reading the words, throws its copy away and tries again. A scrape may
/// therefore miss an exemplar that is being replaced, but never shows one torn between two
/// requests.
struct ExemplarCell {
    static let words = 6
    let base: UnsafeMutablePointer<UInt64>

    /// Writer (the owning worker only): replaces the exemplar. Never waits.
    @inline(__always)
    func write(_ e: Exemplar) {
        let sequence = begin()
        fill(e)
        end(sequence)
    }

    /// Marks a write in progress (odd sequence); the fence keeps the data stores after the mark.
    @inline(__always)
    func begin() -> UInt64 {
        let odd = base.pointee &+ 1  // only this thread stores the sequence: a plain read is exact
        tg_store_relaxed(base, odd)
        tg_fence_release()
        return odd
    }

    @inline(__always)
    func fill(_ e: Exemplar) {
        tg_store_relaxed(base + 1, e.traceHi)
        tg_store_relaxed(base + 2, e.traceLo)
        tg_store_relaxed(base + 3, e.spanID)
        tg_store_relaxed(base + 4, e.valueNanos)
        tg_store_relaxed(base + 5, e.wallNanos)
    }

    /// Publishes the words written since `begin` (even sequence, release).
    @inline(__always)
    func end(_ odd: UInt64) {
        tg_store_release(base, odd &+ 1)
    }

    /// Reader (any thread): the exemplar, or nil when none was ever written or every try met a
    /// write in progress.
    func read(tries: Int = 8) -> Exemplar? {
        for _ in 0..<tries {
            let before = tg_load_acquire(base)
            if before == 0 { return nil }
            if before & 1 == 1 { continue }
            let e = Exemplar(
                traceHi: tg_load_relaxed(base + 1), traceLo: tg_load_relaxed(base + 2), spanID: tg_load_relaxed(base + 3),
                valueNanos: tg_load_relaxed(base + 4), wallNanos: tg_load_relaxed(base + 5))
            tg_fence_acquire()
            if tg_load_relaxed(base) == before { return e }
        }
        return nil
    }
}
