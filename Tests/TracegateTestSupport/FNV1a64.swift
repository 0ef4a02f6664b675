/// Incremental 64-bit FNV-1a, the body fingerprint of the fixtures.
///
/// Why FNV-1a and not SHA-256: the fixtures must not depend on swift-crypto, and a body
/// fingerprint in a test only has to catch corruption, reordering or truncation of bytes
/// that the test itself generated, not resist an adversary. FNV-1a is a few lines, streams
/// (a 1 GiB upload is hashed without being kept), and is always paired with the byte count.
/// Parameters from the FNV reference (draft-eastlake-fnv): offset basis 0xcbf29ce484222325,
/// prime 0x100000001b3.
public struct FNV1a64: Sendable, Hashable {
    /// The hash of the bytes fed so far (the offset basis when none).
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A hasher that has seen no bytes yet.
    public init() {}

    /// Feeds more bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        value = hash
    }

    /// Feeds more bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The hash as 16 lowercase hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> FNV1a64 {
        var hasher = FNV1a64()
        hasher.update(bytes)
        return hasher
    }
}
