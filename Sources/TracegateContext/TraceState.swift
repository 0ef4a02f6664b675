// TraceState.swift — validation of the W3C `tracestate` header (list grammar, keys, values).

/// Validation of `tracestate` (W3C Trace Context, “Tracestate Header”).
///
/// The edge never rewrites `tracestate`: it forwards the caller's lines verbatim when it continues
/// the caller's trace and the list is valid, and drops them otherwise ("If the vendor
/// failed to parse traceparent, it MUST NOT attempt to parse tracestate"; “Mutating the traceparent Field”: restarting a
/// trace SHOULD clean up tracestate). So this type only validates and iterates; nothing here
/// allocates.
public enum TraceState {
    /// Which `key` grammar to enforce.
    public enum KeyGrammar: Sendable, Hashable {
        /// Trace Context Level 1 (W3C Recommendation): `simple-key = lcalpha 0*255(lcalpha /
        /// DIGIT / "_" / "-" / "*" / "/")` or `multi-tenant-key = tenant-id "@" system-id` with
        /// `tenant-id = (lcalpha / DIGIT) 0*240(...)` and `system-id = lcalpha 0*13(...)`.
        case level1
        /// Trace Context Level 2 and the current editor's draft: `key = (lcalpha / DIGIT)
        /// 0*255(keychar)` with `@` allowed anywhere after the first character. A superset of
        /// Level 1 and what the current W3C test suite checks (`foo@@bar`, `foo@` are valid).
        case level2
    }

    /// The list-member limit (“tracestate Header Field Values”, list).
    public static let defaultMaxMembers = 32
    /// Maximum key and value length (“tracestate Header Field Values”, key and value).
    public static let maxKeyLength = 256
    public static let maxValueLength = 256

    /// One `key=value` list-member as views into the field value (OWS around it removed).
    ///
    /// A member without `=` is reported with the whole text as `key` and an empty `value`,
    /// which ``isValidValue(_:)`` rejects.
    public struct Member {
        public var key: UnsafeRawBufferPointer
        public var value: UnsafeRawBufferPointer
    }

    /// The non-empty list-members of one field value, in order. Empty and whitespace-only
    /// members are skipped: the spec allows them and they carry nothing.
    public struct Members: Sequence, IteratorProtocol {
        private let bytes: UnsafeRawBufferPointer
        private var position: Int

        public init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            self.position = 0
        }

        public mutating func next() -> Member? {
            while position <= bytes.count {
                var end = position
                while end < bytes.count, bytes[end] != ASCII.comma { end += 1 }
                let range = ASCII.trimmedRange(bytes, position..<end)
                position = end + 1
                guard !range.isEmpty else { continue }
                var equals = range.lowerBound
                while equals < range.upperBound, bytes[equals] != ASCII.equals { equals += 1 }
                if equals == range.upperBound {
                    return Member(key: ASCII.slice(bytes, range), value: ASCII.slice(bytes, range.upperBound..<range.upperBound))
                }
                return Member(
                    key: ASCII.slice(bytes, range.lowerBound..<equals),
                    value: ASCII.slice(bytes, (equals + 1)..<range.upperBound)
                )
            }
            return nil
        }
    }

    /// Validates one `tracestate` field value with the default rules (Level 2 keys, duplicate
    /// keys rejected, at most `maxMembers` non-empty members).
    public static func validate(_ bytes: UnsafeRawBufferPointer, maxMembers: Int = defaultMaxMembers) -> Bool {
        memberCount(fieldCount: 1, field: { _ in bytes }, maxMembers: maxMembers, keyGrammar: .level2, rejectDuplicateKeys: true) != nil
    }

    /// Validates several `tracestate` lines as one comma-joined list (Trace Context, “tracestate Header Field Values”; RFC 9110 §5.3).
    /// Test and tool convenience; the proxy uses the ``HeaderFields`` overload.
    public static func validate(fields: [UnsafeRawBufferPointer], maxMembers: Int = defaultMaxMembers) -> Bool {
        memberCount(fieldCount: fields.count, field: { fields[$0] }, maxMembers: maxMembers, keyGrammar: .level2, rejectDuplicateKeys: true) != nil
    }

    /// Validates several `tracestate` lines as one comma-joined list.
    ///
    /// - Parameters:
    ///   - maxMembers: limit on non-empty list-members (32 in the spec).
    ///   - keyGrammar: Level 1 or Level 2 key rules.
    ///   - rejectDuplicateKeys: Level 1 says "only one entry per key is allowed"; Level 2 lets a
    ///     receiver keep or discard duplicates. Tracegate drops a list with duplicates by default
    ///     because it never edits members, and a list that breaks the sender's MUST is not one it
    ///     wants to vouch for.
    /// - Returns: `false` when the list must be dropped (also when `fields` overflowed).
    public static func validate(
        fields: HeaderFields,
        maxMembers: Int = defaultMaxMembers,
        keyGrammar: KeyGrammar = .level2,
        rejectDuplicateKeys: Bool = true
    ) -> Bool {
        memberCount(fields: fields, maxMembers: maxMembers, keyGrammar: keyGrammar, rejectDuplicateKeys: rejectDuplicateKeys) != nil
    }

    /// Number of non-empty list-members of a valid list, or `nil` when the list is invalid.
    public static func memberCount(
        fields: HeaderFields,
        maxMembers: Int = defaultMaxMembers,
        keyGrammar: KeyGrammar = .level2,
        rejectDuplicateKeys: Bool = true
    ) -> Int? {
        guard !fields.overflowed else { return nil }
        return memberCount(
            fieldCount: fields.count,
            field: { fields[$0] },
            maxMembers: maxMembers,
            keyGrammar: keyGrammar,
            rejectDuplicateKeys: rejectDuplicateKeys
        )
    }

    static func memberCount(
        fieldCount: Int,
        field: (Int) -> UnsafeRawBufferPointer,
        maxMembers: Int,
        keyGrammar: KeyGrammar,
        rejectDuplicateKeys: Bool
    ) -> Int? {
        // Keys seen so far, for the duplicate check; 32 views are 512 bytes, so the temporary
        // allocation lives on the stack.
        withUnsafeTemporaryAllocation(of: UnsafeRawBufferPointer.self, capacity: max(1, maxMembers)) { keys -> Int? in
            var count = 0
            for index in 0..<fieldCount {
                let bytes = field(index)
                let n = bytes.count
                var i = 0
                // One pass per member: key characters up to `=`, then the value up to `,`.
                while i < n {
                    while i < n, ASCII.isOWS(bytes[i]) { i += 1 }
                    guard i < n else { break }
                    if bytes[i] == ASCII.comma {
                        i += 1
                        continue
                    }
                    let keyStart = i
                    while i < n, isKeyChar(bytes[i]) || bytes[i] == 0x40 { i += 1 }
                    guard i < n, bytes[i] == ASCII.equals else { return nil }
                    let key = ASCII.slice(bytes, keyStart..<i)
                    i += 1
                    let valueStart = i
                    while i < n, bytes[i] != ASCII.comma { i += 1 }
                    var valueEnd = i
                    while valueEnd > valueStart, ASCII.isOWS(bytes[valueEnd - 1]) { valueEnd -= 1 }
                    guard count < maxMembers,
                        isScannedKeyValid(key, grammar: keyGrammar),
                        isValidValue(ASCII.slice(bytes, valueStart..<valueEnd))
                    else { return nil }
                    if rejectDuplicateKeys {
                        for seen in 0..<count where ASCII.equal(keys[seen], key) { return nil }
                        keys.initializeElement(at: count, to: key)
                    }
                    count += 1
                    i += 1
                }
            }
            return count
        }
    }

    /// Key check for a key whose characters the scanner already limited to `keychar`.
    @inline(__always)
    private static func isScannedKeyValid(_ key: UnsafeRawBufferPointer, grammar: KeyGrammar) -> Bool {
        switch grammar {
        case .level2:
            guard let first = key.first, key.count <= maxKeyLength else { return false }
            return ASCII.isLowerAlpha(first) || ASCII.isDigit(first)
        case .level1:
            return isValidKey(key, grammar: .level1)
        }
    }
}
