// Baggage+Scanner.swift — one-pass scanner for baggage list-members.

extension Baggage {
    /// One list-member slot scanned from `start`: the element (`nil` for an empty slot) and the
    /// index just past its terminating `,` (`count + 1` at the end of the field).
    struct Scan {
        var element: Element?
        var next: Int
    }

    /// Scans `list-member = key OWS "=" OWS value *( OWS ";" OWS property )` in a single pass.
    ///
    /// Keys are token characters, values baggage-octets, so each run ends exactly where the
    /// grammar says the next delimiter must be; anything else makes the slot malformed, and the
    /// scanner then resumes after the next `,` (W3C Baggage, “Mutating baggage”: an offending member MAY be
    /// removed while the rest propagates).
    static func scanMember(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Scan {
        let n = bytes.count
        var i = start
        skipOWS(bytes, &i)
        let memberStart = i
        guard i < n, bytes[i] != ASCII.comma else { return Scan(element: nil, next: i + 1) }

        let keyStart = i
        skipTokens(bytes, &i)
        let keyEnd = i
        skipOWS(bytes, &i)
        guard keyEnd > keyStart, i < n, bytes[i] == ASCII.equals else { return malformed(bytes, memberStart, i) }
        i += 1
        skipOWS(bytes, &i)
        let valueStart = i
        var valuePercent = false
        skipOctets(bytes, &i, sawPercent: &valuePercent)
        let valueEnd = i
        skipOWS(bytes, &i)
        var propertiesStart = -1
        while i < n, bytes[i] == ASCII.semicolon {
            if propertiesStart < 0 { propertiesStart = i + 1 }
            i += 1
            skipOWS(bytes, &i)
            let propertyKey = i
            skipTokens(bytes, &i)
            guard i > propertyKey else { return malformed(bytes, memberStart, i) }
            skipOWS(bytes, &i)
            if i < n, bytes[i] == ASCII.equals {
                i += 1
                skipOWS(bytes, &i)
                let propertyValue = i
                var percent = false
                skipOctets(bytes, &i, sawPercent: &percent)
                if percent, !hasValidEscapes(ASCII.slice(bytes, propertyValue..<i)) { return malformed(bytes, memberStart, i) }
                skipOWS(bytes, &i)
            }
        }
        guard i == n || bytes[i] == ASCII.comma else { return malformed(bytes, memberStart, i) }
        if valuePercent, !hasValidEscapes(ASCII.slice(bytes, valueStart..<valueEnd)) {
            return malformed(bytes, memberStart, i)
        }
        var end = i
        while end > memberStart, ASCII.isOWS(bytes[end - 1]) { end -= 1 }
        let member = Member(
            raw: ASCII.slice(bytes, memberStart..<end),
            key: ASCII.slice(bytes, keyStart..<keyEnd),
            value: ASCII.slice(bytes, valueStart..<valueEnd),
            properties: propertiesStart < 0 ? ASCII.slice(bytes, end..<end) : ASCII.slice(bytes, propertiesStart..<end)
        )
        return Scan(element: .member(member), next: i + 1)
    }

    /// The malformed slot from `memberStart` to the next `,` (trimmed).
    private static func malformed(_ bytes: UnsafeRawBufferPointer, _ memberStart: Int, _ from: Int) -> Scan {
        var comma = from
        while comma < bytes.count, bytes[comma] != ASCII.comma { comma += 1 }
        let range = ASCII.trimmedRange(bytes, memberStart..<comma)
        return Scan(element: .malformed(ASCII.slice(bytes, range)), next: comma + 1)
    }

    @inline(__always)
    private static func skipOWS(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) {
        while i < bytes.count, ASCII.isOWS(bytes[i]) { i += 1 }
    }

    @inline(__always)
    private static func skipTokens(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) {
        while i < bytes.count, ByteClass.is(bytes[i], ByteClass.token) { i += 1 }
    }

    @inline(__always)
    private static func skipOctets(_ bytes: UnsafeRawBufferPointer, _ i: inout Int, sawPercent: inout Bool) {
        while i < bytes.count {
            let byte = bytes[i]
            guard ByteClass.is(byte, ByteClass.baggageOctet) else { return }
            sawPercent = sawPercent || byte == ASCII.percent
            i += 1
        }
    }
}
