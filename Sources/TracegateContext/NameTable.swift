// NameTable.swift — start-up-built tables of lowercase names for allocation-free matching.

/// Names flattened into one byte pool with plain-integer entries.
///
/// Why: matching a header name or baggage key against configured lists happens per line of
/// every request. Arrays of arrays would mean a retain/release per element visited and a
/// closure per comparison; here one buffer access covers the whole lookup, entries are plain
/// values, and comparisons run eight bytes at a time.
struct NameTable<Value: Sendable>: Sendable {
    struct Entry: Sendable {
        var offset: Int
        var length: Int
        /// The first stored byte (a cheap reject before the full comparison).
        var first: UInt8
        var value: Value
    }

    private var pool: [UInt8] = []
    /// Exact names ordered by length (stable: earlier insertions win).
    private var exact: [Entry] = []
    /// `exact[byLength[n]..<byLength[n + 1]]` are the names of length `n`.
    private var byLength: [Int] = [0]
    /// Prefixes in insertion (precedence) order.
    private var prefixes: [Entry] = []
    /// Bit `b` set when some prefix starts with byte `b` (< 128), so most names skip the
    /// prefix list after one bit test.
    private var prefixFirstBytes: (UInt64, UInt64) = (0, 0)
    /// Whether stored names are lowercased and matched case-insensitively.
    let foldCase: Bool

    init(foldCase: Bool) {
        self.foldCase = foldCase
    }

    /// Adds a name (exact) or a prefix. Start-up only; allocates.
    mutating func add(_ name: some Sequence<UInt8>, value: Value, prefix: Bool = false) {
        let bytes = foldCase ? name.map(ASCII.lower) : Array(name)
        let entry = Entry(offset: pool.count, length: bytes.count, first: bytes.first ?? 0, value: value)
        pool.append(contentsOf: bytes)
        if prefix {
            prefixes.append(entry)
            if let first = bytes.first {
                if first < 64 { prefixFirstBytes.0 |= 1 << UInt64(first) } else if first < 128 { prefixFirstBytes.1 |= 1 << UInt64(first - 64) }
            } else {
                prefixFirstBytes = (.max, .max)  // an empty prefix matches everything
            }
        } else {
            exact.append(entry)
            // Stable re-sort keeps insertion order among names of equal length.
            exact = exact.enumerated().sorted { ($0.element.length, $0.offset) < ($1.element.length, $1.offset) }.map(\.element)
            let longest = exact.last?.length ?? 0
            byLength = (0...(longest + 1)).map { n in exact.firstIndex { $0.length >= n } ?? exact.count }
        }
    }

    /// Number of entries (exact and prefix).
    var count: Int { exact.count + prefixes.count }

    /// The value of the first exact name equal to `name`, else of the first prefix of `name`.
    func lookup(_ name: UnsafeRawBufferPointer) -> Value? {
        let n = name.count
        guard let base = name.baseAddress else { return nil }
        let firstByte = base.load(as: UInt8.self)
        let first = foldCase ? ASCII.lower(firstByte) : firstByte
        return pool.withUnsafeBytes { pool -> Value? in
            guard let poolBase = pool.baseAddress else { return nil }
            if n + 1 < byLength.count {
                var index = byLength[n]
                let end = byLength[n + 1]
                while index < end {
                    let entry = exact[index]
                    if entry.first == first, compare(base, poolBase + entry.offset, count: n) { return entry.value }
                    index += 1
                }
            }
            guard mayStartPrefix(first) else { return nil }
            for entry in prefixes where entry.length <= n && (entry.first == first || entry.length == 0) {
                if compare(base, poolBase + entry.offset, count: entry.length) { return entry.value }
            }
            return nil
        }
    }

    /// `true` when some name occurs in `bytes` as a substring (case per ``foldCase``).
    func anyOccurs(in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return pool.withUnsafeBytes { pool -> Bool in
            guard let poolBase = pool.baseAddress else { return false }
            for entry in exact where entry.length <= bytes.count {
                guard entry.length > 0 else { return true }
                let first = poolBase.load(fromByteOffset: entry.offset, as: UInt8.self)
                var start = 0
                while start + entry.length <= bytes.count {
                    let byte = base.load(fromByteOffset: start, as: UInt8.self)
                    if (foldCase ? ASCII.lower(byte) : byte) == first,
                        compare(base + start, poolBase + entry.offset, count: entry.length)
                    {
                        return true
                    }
                    start += 1
                }
            }
            return false
        }
    }

    @inline(__always)
    private func mayStartPrefix(_ b: UInt8) -> Bool {
        if b < 64 { return prefixFirstBytes.0 >> UInt64(b) & 1 != 0 }
        if b < 128 { return prefixFirstBytes.1 >> UInt64(b - 64) & 1 != 0 }
        return false
    }

    @inline(__always)
    private func compare(_ bytes: UnsafeRawPointer, _ stored: UnsafeRawPointer, count: Int) -> Bool {
        foldCase ? ASCII.matchesLowercase(bytes, stored, count: count) : ASCII.matches(bytes, stored, count: count)
    }
}
