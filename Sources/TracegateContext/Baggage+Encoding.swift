// Baggage+Encoding.swift — writing members with percent-encoded values, and decoding values.

extension Baggage {
    /// Appends `key=value` with `value` percent-encoded (W3C Baggage, “value”).
    ///
    /// Every byte outside `baggage-octet`, and `%` itself, becomes `%HH` (uppercase hex,
    /// RFC 3986 §2.1). The caller writes the `,` separator when other members precede this one.
    ///
    /// - Returns: `false`, writing nothing, when `key` is not a token.
    @discardableResult
    public static func appendMember(
        key: UnsafeRawBufferPointer,
        value: UnsafeRawBufferPointer,
        into sink: inout some ByteSink
    ) -> Bool {
        guard isValidKey(key) else { return false }
        sink.append(key)
        sink.append(byte: ASCII.equals)
        appendPercentEncoded(value, into: &sink)
        return true
    }

    /// Appends `value` percent-encoded for use as a baggage value.
    public static func appendPercentEncoded(_ value: UnsafeRawBufferPointer, into sink: inout some ByteSink) {
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            guard !isBaggageOctet(byte) || byte == ASCII.percent else { continue }
            if runStart < index { sink.append(ASCII.slice(value, runStart..<index)) }
            sink.append(byte: ASCII.percent)
            sink.append(byte: upperHexDigit(byte >> 4))
            sink.append(byte: upperHexDigit(byte & 0x0F))
            runStart = index + 1
        }
        if runStart < value.count { sink.append(ASCII.slice(value, runStart..<value.count)) }
    }

    /// Decodes a percent-encoded value into raw octets.
    ///
    /// The octets are not UTF-8-checked (the spec's U+FFFD replacement is a concern of whoever
    /// turns them into text). Not used on the request path: the edge forwards values verbatim.
    ///
    /// - Returns: `false` when a `%` is not followed by two hex digits (output is then partial).
    @discardableResult
    public static func percentDecode(_ value: UnsafeRawBufferPointer, into sink: inout some ByteSink) -> Bool {
        var index = 0
        while index < value.count {
            let byte = value[index]
            if byte == ASCII.percent {
                guard index + 2 < value.count, isHexDigit(value[index + 1]), isHexDigit(value[index + 2]) else {
                    return false
                }
                sink.append(byte: anyHexValue(value[index + 1]) << 4 | anyHexValue(value[index + 2]))
                index += 3
            } else {
                sink.append(byte: byte)
                index += 1
            }
        }
        return true
    }

    /// Length of `value` once percent-encoded.
    static func percentEncodedLength(_ value: UnsafeRawBufferPointer) -> Int {
        var length = value.count
        for byte in value where !isBaggageOctet(byte) || byte == ASCII.percent { length += 2 }
        return length
    }

    @inline(__always)
    static func upperHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 &+ nibble : 0x37 &+ nibble
    }

    @inline(__always)
    static func anyHexValue(_ byte: UInt8) -> UInt8 {
        ASCII.isDigit(byte) ? byte &- 0x30 : (byte | 0x20) &- 0x57
    }
}
