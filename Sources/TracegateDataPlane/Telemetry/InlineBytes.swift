// InlineBytes: short byte strings stored inside a record, without a heap allocation.

/// Up to `capacity` bytes kept inline (truncated beyond), for methods, paths and ids in request
/// records that cross from a worker to the control side by copy.
public struct InlineBytes<let capacity: Int>: Sendable {
    // Inlinable accessors: readers live in other modules (the control side reads every record),
    // and an unspecialised generic call costs a metadata lookup each time.
    @usableFromInline var storage: InlineArray<capacity, UInt8> = InlineArray(repeating: 0)
    public private(set) var count: Int = 0
    public private(set) var truncated = false

    public init() {}

    mutating func set(_ bytes: UnsafeRawBufferPointer) {
        let n = min(bytes.count, capacity)
        truncated = bytes.count > capacity
        for i in 0..<n { storage[i] = bytes[i] }
        count = n
    }

    /// Calls `body` with the stored bytes.
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: storage) { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The bytes decoded as UTF-8 (invalid sequences replaced), for the control side.
    public var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// Whether the stored bytes equal `text` (for index queries).
    public func equals(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { u in withBytes { $0.count == u.count && $0.elementsEqual(u) } }
    }
}
