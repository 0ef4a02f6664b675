// Baggage.swift — W3C Baggage grammar: list-members, keys, values, properties.

/// The W3C Baggage header (`baggage`, W3C Baggage, “Baggage HTTP Header Format”).
///
/// ```
/// baggage-string = list-member 0*179( OWS "," OWS list-member )
/// list-member    = key OWS "=" OWS value *( OWS ";" OWS property )
/// property       = key OWS "=" OWS value / key OWS
/// key            = token                      ; RFC 9110 §5.6.2
/// value          = *baggage-octet             ; percent-encoded beyond that set
/// ```
///
/// Tracegate never re-encodes incoming members: members that pass the filter are written
/// verbatim. Parsing therefore only splits and validates.
public enum Baggage {
    /// Minimum member count a platform must propagate (W3C Baggage, “Limits”), Tracegate's default.
    public static let defaultMaxMembers = 64
    /// Minimum byte size a platform must propagate (W3C Baggage, “Limits”), Tracegate's default.
    public static let defaultMaxBytes = 8192

    /// One list-member as views into the field value (surrounding OWS removed).
    public struct Member {
        /// The whole member, `key=value;props`, exactly as received minus outer OWS.
        public var raw: UnsafeRawBufferPointer
        /// The key (OWS removed).
        public var key: UnsafeRawBufferPointer
        /// The value, still percent-encoded (OWS removed; may be empty).
        public var value: UnsafeRawBufferPointer
        /// Everything after the first `;`, or empty when there are no properties.
        public var properties: UnsafeRawBufferPointer
    }

    /// A list-member slot: either a well-formed member or the malformed text.
    public enum Element {
        case member(Member)
        case malformed(UnsafeRawBufferPointer)
    }

    /// The non-empty list-members of one field value, in order, each parsed and validated.
    ///
    /// Empty members (stray commas) are skipped silently. The grammar does not allow them, but
    /// they carry nothing and clients produce them when concatenating lists.
    public struct Members: Sequence, IteratorProtocol {
        private let bytes: UnsafeRawBufferPointer
        private var position: Int

        public init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            self.position = 0
        }

        public mutating func next() -> Element? {
            while position <= bytes.count {
                let scan = Baggage.scanMember(bytes, from: position)
                position = scan.next
                if let element = scan.element { return element }
            }
            return nil
        }
    }

    /// Number of `,` in `bytes`.
    static func commaCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in bytes where byte == ASCII.comma { count += 1 }
        return count
    }

    /// Number of non-empty comma-separated members (well-formed or not) of one field value.
    static func memberSlots(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var start = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == ASCII.comma {
                if !ASCII.trimmedRange(bytes, start..<index).isEmpty { count += 1 }
                start = index + 1
            }
            index += 1
        }
        return count
    }

    /// Parses one list-member (surrounding OWS allowed); `nil` if it breaks the grammar.
    public static func parseMember(_ raw: UnsafeRawBufferPointer) -> Member? {
        let scan = scanMember(raw, from: 0)
        guard scan.next > raw.count, case .member(let member)? = scan.element else { return nil }
        return member
    }

    /// `true` when `bytes` is a non-empty RFC 9110 `token`.
    public static func isValidKey(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.isEmpty && ByteClass.all(bytes, ByteClass.token)
    }

    /// `true` when `bytes` is `*baggage-octet` in which every `%` starts a `%HH` escape
    /// (the percent sign itself MUST be percent-encoded, W3C Baggage “value”). Empty is valid.
    public static func isValidValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // Fast path: all octets valid and no escapes to check.
        var miss: UInt8 = 0
        var percent = false
        for byte in bytes {
            miss |= ~ByteClass.of(byte) & ByteClass.baggageOctet
            percent = percent || byte == ASCII.percent
        }
        guard miss == 0 else { return false }
        return !percent || hasValidEscapes(bytes)
    }

    /// `true` when every `%` in `bytes` is followed by two hex digits.
    static func hasValidEscapes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let n = bytes.count
        while index < n {
            if bytes[index] == ASCII.percent {
                guard index + 2 < n, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    /// RFC 9110 §5.6.2 `tchar`.
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        ByteClass.is(byte, ByteClass.token)
    }

    /// `baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E` (W3C Baggage, “Definition”).
    @inline(__always)
    static func isBaggageOctet(_ byte: UInt8) -> Bool {
        ByteClass.is(byte, ByteClass.baggageOctet)
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || (byte | 0x20) &- 0x61 < 6
    }
}
