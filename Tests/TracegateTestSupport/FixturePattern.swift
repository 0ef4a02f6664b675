/// The deterministic byte pattern of streamed bodies: byte `i` is `UInt8(i % 251)`.
///
/// Why 251: a prime that is not a divisor of any buffer or chunk size, so a body that lost,
/// duplicated or reordered a block no longer matches the pattern at that offset. Both sides
/// of a test can produce or check any slice of a huge body without keeping it.
public enum FixturePattern {
    /// Period of the pattern.
    public static let period = 251

    /// Block size used when generating (64 KiB).
    public static let blockSize = 64 * 1024

    /// `blockSize + period` pattern bytes, so any block starting at any phase is a slice.
    static let table: [UInt8] = (0..<(blockSize + period)).map { UInt8($0 % period) }

    /// The pattern byte at absolute offset `offset`.
    public static func byte(at offset: Int) -> UInt8 {
        UInt8(offset % period)
    }

    /// `count` pattern bytes starting at absolute offset `offset`.
    public static func bytes(from offset: Int = 0, count: Int) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(count)
        var position = offset
        while result.count < count {
            let take = min(blockSize, count - result.count)
            let phase = position % period
            result.append(contentsOf: table[phase..<(phase + take)])
            position += take
        }
        return result
    }

    /// Calls `body` with consecutive pattern blocks of at most `blockSize` bytes that together
    /// make `totalBytes` bytes; `body` returns `false` to stop early. Nothing is allocated per
    /// block.
    /// - Returns: `false` if `body` stopped early.
    @discardableResult
    public static func forEachBlock(totalBytes: Int, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        table.withUnsafeBytes { raw in
            var offset = 0
            while offset < totalBytes {
                let take = min(blockSize, totalBytes - offset)
                let phase = offset % period
                guard body(UnsafeRawBufferPointer(rebasing: raw[phase..<(phase + take)])) else { return false }
                offset += take
            }
            return true
        }
    }

    /// The FNV-1a 64 fingerprint of the first `totalBytes` pattern bytes, to compare with a
    /// fixture's `FixtureRequest.bodyFNV1a64` after a pattern upload.
    public static func fnv1a64(totalBytes: Int) -> FNV1a64 {
        var hasher = FNV1a64()
        forEachBlock(totalBytes: totalBytes) { block in
            hasher.update(block)
            return true
        }
        return hasher
    }

    /// Checks that `bytes` are the pattern starting at `offset`; returns the first mismatching
    /// index into `bytes`, or `nil` when they all match.
    public static func firstMismatch(in bytes: some Collection<UInt8>, from offset: Int = 0) -> Int? {
        var index = 0
        for byte in bytes {
            if byte != UInt8((offset + index) % period) { return index }
            index += 1
        }
        return nil
    }
}
