// SessionID.swift — session ids: extraction from Cookie / header, validation, generation.

/// A session id the edge issues: 16 random bytes written as 32 lowercase hex characters.
///
/// The static functions validate and extract ids of any origin (cookie or header); the value
/// type is only for ids the edge generates itself.
public struct SessionID: Hashable, Sendable {
    public var hi: UInt64
    public var lo: UInt64

    /// Length of the written form.
    public static let hexLength = 32

    public init(hi: UInt64, lo: UInt64) {
        self.hi = hi
        self.lo = lo
    }

    /// Draws a new id (128 random bits).
    public static func generate(using random: inout some RandomNumberGenerator) -> SessionID {
        SessionID(hi: random.next(), lo: random.next())
    }

    /// Writes the 32 lowercase hex characters; returns 32.
    @discardableResult
    public func writeHex(to pointer: UnsafeMutableRawPointer) -> Int {
        Hex.write(hi, count: 16, to: pointer)
        Hex.write(lo, count: 16, to: pointer + 16)
        return Self.hexLength
    }

    /// Calls `body` with the 32-character form in a stack buffer.
    public func withHexBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: Self.hexLength, alignment: 1) { buffer in
            let n = writeHex(to: buffer.baseAddress!)
            return try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// `true` when `bytes` is 1...`maxLength` characters of `[A-Za-z0-9._~+/=-]`.
    ///
    /// Why this set: it covers hex, UUIDs, base64 and base64url ids that session stores issue,
    /// and it is safe in a cookie value (RFC 6265 §4.1.1 `cookie-octet`), a header value, a
    /// baggage value and a log line without escaping.
    public static func isWellFormed(_ bytes: UnsafeRawBufferPointer, maxLength: Int) -> Bool {
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return ByteClass.all(bytes, ByteClass.session)
    }

    /// Finds the value of the first cookie named `name` in a `Cookie` field value.
    ///
    /// RFC 6265 §4.2.1: `cookie-string = cookie-pair *( ";" SP cookie-pair )`. Parsing is lenient
    /// about the separator (any OWS around `;`) because clients differ; names compare exactly
    /// (cookie names are case-sensitive). A value in double quotes is returned without them.
    /// Only the first pair with the name counts: a user agent sends the most specific cookie
    /// first (RFC 6265 §5.4 step 2), and taking a later one would let an injected cookie win.
    ///
    /// - Returns: the byte range of the value within `cookie`, or `nil` if there is none.
    public static func extract(fromCookie cookie: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer) -> Range<Int>? {
        let n = cookie.count
        let nameLength = name.count
        var start = 0
        while start < n {
            while start < n, ASCII.isOWS(cookie[start]) { start += 1 }
            // Compare the name in place; a non-matching pair costs one scan to its `;`.
            let equals = start + nameLength
            if equals < n, cookie[equals] == ASCII.equals,
                ASCII.equal(UnsafeRawBufferPointer(rebasing: cookie[start..<equals]), name)
            {
                var end = equals + 1
                while end < n, cookie[end] != ASCII.semicolon { end += 1 }
                var value = ASCII.trimmedRange(cookie, (equals + 1)..<end)
                if value.count >= 2, cookie[value.lowerBound] == ASCII.quote, cookie[value.upperBound - 1] == ASCII.quote {
                    value = (value.lowerBound + 1)..<(value.upperBound - 1)
                }
                return value
            }
            while start < n, cookie[start] != ASCII.semicolon { start += 1 }
            start += 1
        }
        return nil
    }
}

extension SessionID: CustomStringConvertible {
    /// The 32-character hex form (tests and diagnostics; allocates).
    public var description: String {
        String(unsafeUninitializedCapacity: Self.hexLength) { writeHex(to: UnsafeMutableRawPointer($0.baseAddress!)) }
    }
}
