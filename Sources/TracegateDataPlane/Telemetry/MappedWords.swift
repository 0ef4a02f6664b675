// MappedWords: zero-filled, lazily resident words that metric blocks live in.
import Glibc

/// Anonymous private memory for a worker's metric words, unmapped with its owner.
///
/// Why `mmap` rather than an array: the blocks are sized for the largest configuration
/// (hundreds of routes, a thousand endpoints) but only the slots in use are ever touched, and the
/// kernel makes only touched pages resident; they start zero-filled, which is every counter's
/// initial value. Pointers into it are stable for the owner's lifetime, so other threads read
/// the words without any handshake beyond the atomics on the words themselves.
final class MappedWords {
    let base: UnsafeMutablePointer<UInt64>
    private let mapping: UnsafeMutableRawPointer
    private let bytes: Int

    /// Maps `count` words. Runs at start-up and on reload, never per request: failing to map a
    /// few MiB of address space leaves nothing sensible to do, so it stops the process with what
    /// could not be mapped.
    init(count: Int, purpose: StaticString) {
        bytes = max(1, count) * MemoryLayout<UInt64>.stride
        let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let raw, raw != MAP_FAILED else { fatalError("cannot map \(purpose) (\(bytes) bytes)") }
        mapping = raw
        base = raw.bindMemory(to: UInt64.self, capacity: bytes / MemoryLayout<UInt64>.stride)
    }

    deinit {
        munmap(mapping, bytes)
    }
}
