// EndpointBitSet.swift — one bit per endpoint of a cluster, allocated once.

/// One bit per endpoint index `0..<count`, in words allocated when the set is created.
///
/// The outlier detector keeps its ejected endpoints here so that selection can skip them with
/// word operations (``firstClear(from:)``) instead of asking per endpoint, and without building a
/// list of healthy endpoints per request.
public struct EndpointBitSet: Hashable, Sendable {
    private var words: [UInt64]
    /// The number of endpoints the set covers.
    public let count: Int

    /// An empty set over `count` endpoints.
    public init(count: Int) {
        self.count = Swift.max(0, count)
        words = [UInt64](repeating: 0, count: (self.count + 63) / 64)
    }

    /// `true` when `index` is in the set; indices outside `0..<count` never are.
    public func contains(_ index: Int) -> Bool {
        guard index >= 0, index < count else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Adds `index` (ignored outside `0..<count`).
    public mutating func insert(_ index: Int) {
        guard index >= 0, index < count else { return }
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    /// Removes `index` (ignored outside `0..<count`).
    public mutating func remove(_ index: Int) {
        guard index >= 0, index < count else { return }
        words[index >> 6] &= ~(1 << UInt64(index & 63))
    }

    /// The first index at or after `start` that is *not* in the set, wrapping around past the
    /// end; `nil` when every index is in the set (or the set covers none).
    ///
    /// This is the round-robin step that skips ejected endpoints: pass the cursor, get the next
    /// endpoint to use.
    public func firstClear(from start: Int) -> Int? {
        guard count > 0 else { return nil }
        let start = ((start % count) + count) % count
        if let found = firstClear(in: start..<count) { return found }
        return firstClear(in: 0..<start)
    }

    /// The first index at or after `start` that is in the set, or `nil` (no wrap-around).
    public func firstSet(from start: Int) -> Int? {
        var index = Swift.max(0, start)
        while index < count {
            let word = words[index >> 6] >> UInt64(index & 63)
            if word != 0 {
                let found = index + word.trailingZeroBitCount
                return found < count ? found : nil
            }
            index = (index | 63) + 1
        }
        return nil
    }

    private func firstClear(in range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            let free = ~words[index >> 6] >> UInt64(index & 63)
            if free != 0 {
                let found = index + free.trailingZeroBitCount
                return found < range.upperBound ? found : nil
            }
            index = (index | 63) + 1
        }
        return nil
    }
}
