// IPAddressText.swift — strict IPv4 and IPv6 literal parsing and RFC 5952 printing.

import Foundation

/// Textual IP addresses, parsed strictly because they decide trust (a lenient parser that reads
/// `010.0.0.1` as octal, or `1.2.3` as `1.2.0.3`, would silently trust the wrong peer).
enum IPAddressText {
    /// Parses dotted-quad IPv4 (`192.0.2.1`): exactly four decimal parts 0-255, no leading zeros.
    /// Returns the address in host byte order (`192.0.2.1` is `0xC000_0201`).
    static func parseIPv4<S: StringProtocol>(_ text: S) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var part: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if digits == 1 && leadingZero { return nil }
            if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
            part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
            digits += 1
            guard part <= 255 else { return nil }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    /// Parses an IPv6 literal (RFC 4291 §2.2): eight 16-bit hex groups, one `::` run of zero
    /// groups, and an optional trailing dotted-quad. Zone ids (`%eth0`) are rejected.
    /// Returns the 16 address bytes folded big-endian into (high, low) halves.
    static func parseIPv6<S: StringProtocol>(_ text: S) -> (UInt64, UInt64)? {
        let string = String(text)
        guard !string.isEmpty, string.utf8.count <= 45 else { return nil }
        var groups: [UInt16]
        if let gap = string.range(of: "::") {
            guard let head = parseGroups(string[..<gap.lowerBound], allowIPv4Tail: false),
                let tail = parseGroups(string[gap.upperBound...], allowIPv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parseGroups(Substring(string), allowIPv4Tail: true), all.count == 8 else {
                return nil
            }
            groups = all
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 {
            high = high << 16 | UInt64(groups[index])
            low = low << 16 | UInt64(groups[index + 4])
        }
        return (high, low)
    }

    /// Prints an IPv4 address given in host byte order.
    static func formatIPv4(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }

    /// Prints an IPv6 address in the RFC 5952 canonical form: lowercase hex, no leading zeros,
    /// the longest run (two or more) of zero groups as `::`, and `::ffff:a.b.c.d` for
    /// IPv4-mapped addresses (RFC 5952 §5).
    static func formatIPv6(high: UInt64, low: UInt64) -> String {
        if high == 0, low >> 32 == 0xFFFF {
            return "::ffff:" + formatIPv4(UInt32(truncatingIfNeeded: low))
        }
        let groups = (0..<8).map { index -> UInt16 in
            let half = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: half >> (48 - 16 * UInt64(index % 4)))
        }
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }

    // MARK: - Private

    /// Parses `a:b:c` hex groups (an empty string is zero groups); the last group may be a
    /// dotted-quad when `allowIPv4Tail`, counting as two groups.
    private static func parseGroups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (offset, part) in parts.enumerated() {
            if part.contains(".") {
                guard allowIPv4Tail, offset == parts.count - 1, let v4 = parseIPv4(part) else { return nil }
                groups.append(UInt16(truncatingIfNeeded: v4 >> 16))
                groups.append(UInt16(truncatingIfNeeded: v4))
                continue
            }
            guard (1...4).contains(part.utf8.count),
                part.utf8.allSatisfy({ isHexDigit($0) }),
                let value = UInt16(part, radix: 16)
            else { return nil }
            groups.append(value)
        }
        return groups
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
