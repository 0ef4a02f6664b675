// Base64URL.swift — unpadded base64url (RFC 4648 §5) for debug-token signatures.

/// Unpadded base64url, just enough for 32-byte HMAC-SHA256 tags.
enum Base64URL {
    static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    /// Encoded length of `count` bytes without padding.
    static func encodedLength(_ count: Int) -> Int { (count * 8 + 5) / 6 }

    /// Appends the unpadded encoding of `bytes`.
    static func encode(_ bytes: UnsafeRawBufferPointer, into sink: inout some ByteSink) {
        let table = alphabet.rawBytes
        var index = 0
        while index + 3 <= bytes.count {
            let v = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            sink.append(byte: table[Int(v >> 18 & 63)])
            sink.append(byte: table[Int(v >> 12 & 63)])
            sink.append(byte: table[Int(v >> 6 & 63)])
            sink.append(byte: table[Int(v & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let v = UInt32(bytes[index]) << 16
            sink.append(byte: table[Int(v >> 18 & 63)])
            sink.append(byte: table[Int(v >> 12 & 63)])
        } else if rest == 2 {
            let v = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            sink.append(byte: table[Int(v >> 18 & 63)])
            sink.append(byte: table[Int(v >> 12 & 63)])
            sink.append(byte: table[Int(v >> 6 & 63)])
        }
    }

    /// Value of one base64url character, or `0xFF`.
    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8 {
        if byte &- 0x41 < 26 { return byte &- 0x41 }
        if byte &- 0x61 < 26 { return byte &- 0x61 &+ 26 }
        if byte &- 0x30 < 10 { return byte &- 0x30 &+ 52 }
        if byte == 0x2D { return 62 }
        if byte == 0x5F { return 63 }
        return 0xFF
    }

    /// Decodes canonical unpadded base64url into `output` (exactly the decoded size).
    ///
    /// Canonical means the unused low bits of the last character are zero, so every byte string
    /// has exactly one accepted encoding (RFC 4648 §3.5) — a token cannot be varied without
    /// breaking it.
    static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard encodedLength(output.count) == text.count, text.count % 4 != 1 else { return false }
        var accumulator: UInt32 = 0
        var bits = 0
        var out = 0
        for byte in text {
            let v = value(byte)
            guard v != 0xFF else { return false }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output[out] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                out += 1
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out == output.count && accumulator == 0
    }
}
