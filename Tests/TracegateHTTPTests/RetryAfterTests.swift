// RetryAfterTests.swift — reading `Retry-After` as a delay.
import Testing

@testable import TracegateHTTP

@Suite("RetryAfter")
struct RetryAfterTests {
    private func delay(_ text: String, now: Int64 = 784_111_777) -> UInt64? {
        Array(text.utf8).withUnsafeBytes { RetryAfterValue.delayNanos($0, nowUnixSeconds: now) }
    }

    @Test("delay-seconds is read as seconds")
    func seconds() {
        #expect(delay("0") == 0)
        #expect(delay("3") == 3_000_000_000)
        #expect(delay("120") == 120_000_000_000)
    }

    @Test("IMF-fixdate is the time until that date; a past date is no wait")
    func date() {
        // RFC 9110's example date is 784111777 (Sun, 06 Nov 1994 08:49:37 GMT).
        #expect(delay("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_777 - 5) == 5_000_000_000)
        #expect(delay("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_777 + 60) == 0)
        #expect(RetryAfterValue.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(RetryAfterValue.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    }

    @Test("the obsolete rfc850 and asctime forms are read too (RFC 9110 §5.6.7)")
    func obsoleteDates() {
        #expect(delay("Sunday, 06-Nov-94 08:49:37 GMT", now: 784_111_777 - 7) == 7_000_000_000)
        #expect(delay("Sun Nov  6 08:49:37 1994", now: 784_111_777 - 9) == 9_000_000_000)
        #expect(delay("Sun Nov 06 08:49:37 1994", now: 784_111_777 - 9) == 9_000_000_000)
        #expect(delay("Wednesday, 09-Nov-94 08:49:37 GMT", now: 784_111_777) == 3 * 86_400 * 1_000_000_000)
        // Two-digit years: "94" seen in 2026 is 1994 (not 2094, over 50 years ahead), so it is past.
        #expect(delay("Sunday, 06-Nov-94 08:49:37 GMT", now: 1_795_465_636) == 0)
        // "27" seen in 2026 is 2027: a year ahead.
        let ahead = delay("Tuesday, 23-Nov-27 21:00:00 GMT", now: 1_795_465_636)
        #expect(ahead.map { $0 / 1_000_000_000 / 86_400 } == 365)
        #expect(RetryAfterValue.civilYear(unixSeconds: 0) == 1970)
        #expect(RetryAfterValue.civilYear(unixSeconds: 784_111_777) == 1994)
        #expect(RetryAfterValue.civilYear(unixSeconds: 1_795_465_636) == 2026)
        #expect(RetryAfterValue.civilYear(unixSeconds: 951_782_400) == 2000)  // 2000-02-29
    }

    @Test("Anything else is ignored", arguments: ["", "-1", "1.5", "soon", "Sunday, 06-Nov-94 08:49:37 UTC",
                                                  "Sundae, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 94",
                                                  "Sun Nov 6 08:49:37 1994", "Xyz Nov  6 08:49:37 1994",
                                                  "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT",
                                                  "Sun, 06 Nov 1994 25:49:37 GMT", "99999999999"])
    func rejects(_ text: String) {
        #expect(delay(text) == nil)
    }
}
