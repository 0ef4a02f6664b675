// InlineBytes: short byte strings stored inside a record, without a heap allocation.

/// Up to 256 bytes kept inline (truncated beyond), for paths and ids in request records that
/// cross from a worker to the control side by copy.
public struct InlineBytes: Sendable {
    public static let capacity = 256
    private var storage: InlineArray<256, UInt8> = InlineArray(repeating: 0)
    public private(set) var count: Int = 0
    public private(set) var truncated = false

    public init() {}

    mutating func set(_ bytes: UnsafeRawBufferPointer) {
        let n = min(bytes.count, Self.capacity)
        truncated = bytes.count > Self.capacity
        for i in 0..<n { storage[i] = bytes[i] }
        count = n
    }

    /// The bytes decoded as UTF-8 (invalid sequences replaced), for the control side.
    public var string: String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for i in 0..<count { out.append(storage[i]) }
        return String(decoding: out, as: UTF8.self)
    }
}
