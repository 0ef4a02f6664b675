// FastRandom+Kernel: seeding the per-worker id generator from the kernel.
import CTracegateShims
import Glibc
import TracegateContext

extension FastRandom {
    /// A generator seeded with 32 bytes from getrandom(2), so ids from different workers and
    /// processes never follow the same sequence.
    static func seededFromKernel() -> FastRandom {
        var seed = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &seed) { raw in
            var filled = 0
            while filled < raw.count {
                let n = getrandom(raw.baseAddress! + filled, raw.count - filled, 0)
                if n > 0 { filled += n } else if tg_errno() != EINTR { break }
            }
        }
        if seed == (0, 0, 0, 0) { seed.0 = tg_realtime_ns() ^ UInt64(UInt32(bitPattern: getpid())) }
        return FastRandom(seed: seed)
    }
}
