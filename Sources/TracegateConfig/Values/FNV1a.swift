// FNV1a.swift — the 64-bit FNV-1a hash that identifies a loaded configuration.

/// 64-bit FNV-1a (Fowler–Noll–Vo), used as `TracegateConfiguration.sourceHash` so `/debug/state`
/// can show which config text is running. Not cryptographic: it only tells versions apart.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the UTF-8 bytes of `text`.
    static func hash(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The hash as 16 lowercase hex digits.
    static func hex(_ text: String) -> String {
        let digits = String(hash(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
