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

    @Test("Anything else is ignored", arguments: ["", "-1", "1.5", "soon", "Sunday, 06-Nov-94 08:49:37 GMT",
                                                  "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT",
                                                  "Sun, 06 Nov 1994 25:49:37 GMT", "99999999999"])
    func rejects(_ text: String) {
        #expect(delay(text) == nil)
    }
}
