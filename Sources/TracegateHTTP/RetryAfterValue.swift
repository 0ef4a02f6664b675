// RetryAfterValue: the delay a `Retry-After` field asks for.

/// Reads `Retry-After` (RFC 9110 §10.2.3): `delay-seconds` or an `HTTP-date`.
///
/// Why by hand: the value is read from the response head's bytes on the worker thread, where a
/// `Date` parser (Foundation) would allocate and consult the locale; the grammar is a few fixed
/// forms. All three `HTTP-date` forms are accepted, as RFC 9110 §5.6.7 asks of recipients: the
/// preferred IMF-fixdate and the obsolete rfc850-date (two-digit year) and asctime-date. An
/// unreadable value is ignored, not an error.
public enum RetryAfterValue {
    /// The delay in nanoseconds, or nil when the value is neither form. A date in the past is 0.
    ///
    /// - Parameters:
    ///   - value: the field value (optional whitespace already trimmed by the parser).
    ///   - nowUnixSeconds: the current wall-clock time, for the date form.
    public static func delayNanos(_ value: UnsafeRawBufferPointer, nowUnixSeconds: Int64) -> UInt64? {
        guard value.count > 0 else { return nil }
        if let seconds = digits(value, 0, value.count), value.count <= 10 {
            return UInt64(seconds) * 1_000_000_000
        }
        guard let date = imfFixdate(value) ?? asctimeDate(value) ?? rfc850Date(value, nowUnixSeconds: nowUnixSeconds)
        else { return nil }
        return date > nowUnixSeconds ? UInt64(date - nowUnixSeconds) * 1_000_000_000 : 0
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` as Unix seconds.
    static func imfFixdate(_ v: UnsafeRawBufferPointer) -> Int64? {
        guard v.count == 29, v[3] == 0x2C, v[4] == 0x20, v[7] == 0x20, v[11] == 0x20, v[16] == 0x20,
              v[19] == 0x3A, v[22] == 0x3A, v[25] == 0x20, v[26] == 0x47, v[27] == 0x4D, v[28] == 0x54 else { return nil }
        guard let day = digits(v, 5, 7), let year = digits(v, 12, 16), let hour = digits(v, 17, 19),
              let minute = digits(v, 20, 22), let second = digits(v, 23, 25),
              let month = month(v[8], v[9], v[10]) else { return nil }
        guard day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 61 else { return nil }
        return daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400
            + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// `Sun Nov  6 08:49:37 1994` (ANSI C's `asctime()` format) as Unix seconds.
    static func asctimeDate(_ v: UnsafeRawBufferPointer) -> Int64? {
        guard v.count == 24, v[3] == 0x20, v[7] == 0x20, v[10] == 0x20, v[19] == 0x20,
              shortDayNames.contains(key(v[0], v[1], v[2])),
              let month = month(v[4], v[5], v[6]), let year = digits(v, 20, 24) else { return nil }
        let day = v[8] == 0x20 ? digits(v, 9, 10) : digits(v, 8, 10)
        guard let day else { return nil }
        return civilSeconds(year: year, month: month, day: day, time: v, at: 11)
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT` as Unix seconds. A two-digit year more than 50 years
    /// ahead of now is the most recent past year with those digits (RFC 9110 §5.6.7).
    static func rfc850Date(_ v: UnsafeRawBufferPointer, nowUnixSeconds: Int64) -> Int64? {
        guard let comma = (6...9).first(where: { $0 < v.count && v[$0] == 0x2C }), v.count == comma + 24,
              longDayNames.contains(where: { name in name.count == comma && name.indices.allSatisfy { v[$0] == name[$0] } })
        else { return nil }
        let d = comma + 2
        guard v[comma + 1] == 0x20, v[d + 2] == 0x2D, v[d + 6] == 0x2D, v[d + 9] == 0x20, v[d + 18] == 0x20,
              v[d + 19] == 0x47, v[d + 20] == 0x4D, v[d + 21] == 0x54,
              let day = digits(v, d, d + 2), let month = month(v[d + 3], v[d + 4], v[d + 5]),
              let twoDigits = digits(v, d + 7, d + 9) else { return nil }
        let thisYear = civilYear(unixSeconds: nowUnixSeconds)
        var year = thisYear - thisYear % 100 + twoDigits
        if year > thisYear + 50 { year -= 100 }
        return civilSeconds(year: year, month: month, day: day, time: v, at: d + 10)
    }

    /// The date plus the `hh:mm:ss` at `offset`, as Unix seconds; nil when out of range.
    private static func civilSeconds(year: Int, month: Int, day: Int, time v: UnsafeRawBufferPointer, at offset: Int) -> Int64? {
        guard v[offset + 2] == 0x3A, v[offset + 5] == 0x3A, let hour = digits(v, offset, offset + 2),
              let minute = digits(v, offset + 3, offset + 5), let second = digits(v, offset + 6, offset + 8),
              day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 61 else { return nil }
        return daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400
            + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// The Gregorian year of a Unix time (Howard Hinnant's `civil_from_days`, year only).
    static func civilYear(unixSeconds: Int64) -> Int {
        let z = (unixSeconds >= 0 ? unixSeconds : unixSeconds - 86_399) / 86_400 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        return Int(yoe + era * 400 + (mp >= 10 ? 1 : 0))
    }

    private static func digits(_ v: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        guard start < end else { return nil }
        var n = 0
        for i in start..<end {
            let b = v[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    private static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        monthKeys.firstIndex(of: key(a, b, c)).map { $0 + 1 }
    }

    private static func key(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
        UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
    }

    /// "Mon" ... "Sun" as 24-bit big-endian keys.
    private static let shortDayNames: [UInt32] = [0x4D6F6E, 0x547565, 0x576564, 0x546875, 0x467269, 0x536174, 0x53756E]

    /// The rfc850-date's full day names.
    private static let longDayNames: [[UInt8]] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        .map { Array($0.utf8) }

    /// "Jan" ... "Dec" as 24-bit big-endian keys.
    private static let monthKeys: [UInt32] = [0x4A616E, 0x466562, 0x4D6172, 0x417072, 0x4D6179, 0x4A756E,
                                              0x4A756C, 0x417567, 0x536570, 0x4F6374, 0x4E6F76, 0x446563]

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
