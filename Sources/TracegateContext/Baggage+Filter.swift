// Baggage+Filter.swift — writing the filtered baggage header for the upstream request.

extension Baggage {
    /// Writes the members of `bytes` that the rules keep, verbatim, separated by `,`.
    ///
    /// Single-line convenience of ``filter(fields:rules:trusted:prefix:sessionID:into:)``.
    public static func filter(
        _ bytes: UnsafeRawBufferPointer,
        rules: BaggageRules,
        trusted: Bool,
        into sink: inout some ByteSink
    ) -> BaggageFilterResult {
        filter(fields: HeaderFields(bytes), rules: rules, trusted: trusted, into: &sink)
    }

    /// Filters the incoming `baggage` lines (one combined list, W3C Baggage “Limits”) into `sink`.
    ///
    /// Kept members are written verbatim (minus surrounding OWS) joined by `,`. Then, if
    /// `sessionID` is given, `<sessionKey>=<percent-encoded id>` is appended. `prefix` (for
    /// example `"baggage: "`) is written once, just before the first byte of content, so a proxy
    /// writing into its output buffer emits no empty header line when nothing survives:
    /// `bytesWritten == 0` means nothing at all was written.
    ///
    /// See ``BaggageRules`` for what is kept and why. No allocation.
    public static func filter(
        fields: HeaderFields,
        rules: BaggageRules,
        trusted: Bool,
        prefix: StaticString = "",
        sessionID: UnsafeRawBufferPointer? = nil,
        into sink: inout some ByteSink
    ) -> BaggageFilterResult {
        var result = BaggageFilterResult()
        var writer = PrefixedWriter(prefix: prefix)
        // Commas bound the member count from above; count exactly only when the bound is too high.
        var slots = 0
        for index in 0..<fields.count { slots += commaCount(fields[index]) + 1 }
        if slots > rules.maxMembers {
            slots = 0
            for index in 0..<fields.count { slots += memberSlots(fields[index]) }
        }
        if fields.overflowed || slots > rules.maxMembers || fields.combinedByteCount > rules.maxBytes {
            result.overLimit = true
            result.droppedOverLimit = slots
        } else {
            for index in 0..<fields.count {
                var members = Members(fields[index])
                while let element = members.next() {
                    guard case .member(let member) = element else {
                        result.droppedMalformed += 1
                        continue
                    }
                    let verdict = rules.verdict(forKey: member.key, trusted: trusted)
                    switch verdict {
                    case .keep:
                        writer.startMember(&sink)
                        sink.append(member.raw)
                        writer.written += member.raw.count
                        result.kept += 1
                    case .notAllowed: result.droppedNotAllowed += 1
                    case .redacted: result.droppedRedacted += 1
                    case .sessionKey: result.droppedSessionKey += 1
                    }
                }
            }
        }
        if let sessionID {
            rules.sessionKey.withUnsafeBytes { key in
                guard isValidKey(key) else { return }
                writer.startMember(&sink)
                appendMember(key: key, value: sessionID, into: &sink)
                writer.written += key.count + 1 + percentEncodedLength(sessionID)
                result.appendedSession = true
            }
        }
        result.bytesWritten = writer.written
        return result
    }
}

/// Why one member is kept or dropped.
enum BaggageKeyVerdict {
    case keep, notAllowed, redacted, sessionKey
}

extension BaggageRules {
    func verdict(forKey key: UnsafeRawBufferPointer, trusted: Bool) -> BaggageKeyVerdict {
        if session.lookup(key) != nil { return .sessionKey }
        if redacted.count > 0, redacted.anyOccurs(in: key) { return .redacted }
        if trusted || allowed.lookup(key) != nil { return .keep }
        return .notAllowed
    }
}

/// Writes the header prefix before the first member and `,` before every later one.
struct PrefixedWriter {
    let prefix: StaticString
    var started = false
    var written = 0

    mutating func startMember(_ sink: inout some ByteSink) {
        if started {
            sink.append(byte: ASCII.comma)
            written += 1
        } else {
            started = true
            sink.append(prefix)
            written += prefix.utf8CodeUnitCount
        }
    }
}
