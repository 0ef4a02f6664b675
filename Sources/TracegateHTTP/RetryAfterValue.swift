// RetryAfterValue: the delay a `Retry-After` field asks for.

/// Reads `Retry-After` (RFC 9110 §10.2.3): `delay-seconds` or an `HTTP-date`.
///
/// Why by hand: the value is read from the response head's bytes on the worker thread, where a
/// `Date` parser (Foundation) would allocate and consult the locale; the grammar is two fixed
/// forms. Of the three `HTTP-date` forms only the preferred IMF-fixdate is accepted (RFC 9110
/// §5.6.7 says recipients SHOULD accept the obsolete ones too; servers that send `Retry-After`
/// use seconds or IMF-fixdate in practice). An unreadable value is ignored, not an error.
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
        guard let date = imfFixdate(value) else { return nil }
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
        let key = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        return monthKeys.firstIndex(of: key).map { $0 + 1 }
    }

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
