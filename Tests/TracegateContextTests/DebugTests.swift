// DebugTests.swift — signed debug tokens and the debug rate limiter.

import Testing
import TracegateContext

@Suite struct DebugTokenTests {
    let secret = Array("tracegate-secret".utf8)

    @Test func signsTheKnownAnswer() {
        // HMAC-SHA256("tracegate-secret", "v1.1700000000"), base64url without padding
        // (computed independently with Python's hmac module).
        #expect(DebugToken.sign(expiry: 1_700_000_000, secret: secret) == "v1.1700000000.39gYDV1KFZzxyQmpzSKZft6ZwphMAG-WRyKai3XtPLM")
    }

    @Test func verifiesValidAndExpiredTokens() {
        let token = DebugToken.sign(expiry: 1_700_000_000, secret: secret)
        withBytes(token) { t in
            #expect(DebugToken.verify(t, secret: secret, nowSeconds: 0) == .valid)
            #expect(DebugToken.verify(t, secret: secret, nowSeconds: 1_699_999_999) == .valid)
            #expect(DebugToken.verify(t, secret: secret, nowSeconds: 1_700_000_000) == .expired)
            #expect(DebugToken.verify(t, secret: secret, nowSeconds: .max) == .expired)
            let key = DebugTokenKey(secret: secret)
            #expect(DebugToken.verify(t, key: key, nowSeconds: 5) == .valid)
        }
    }

    @Test func rejectsForgedTokensAndOtherSecrets() {
        let token = DebugToken.sign(expiry: 1_700_000_000, secret: secret)
        // Another expiry with the same signature.
        withBytes(token.replacing("1700000000", with: "1800000000")) {
            #expect(DebugToken.verify($0, secret: secret, nowSeconds: 0) == .badSignature)
        }
        // One signature character changed (still canonical base64url).
        var chars = Array(token.utf8)
        chars[20] = chars[20] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        chars.withUnsafeBytes { #expect(DebugToken.verify($0, secret: secret, nowSeconds: 0) == .badSignature) }
        // The wrong secret.
        withBytes(token) { #expect(DebugToken.verify($0, secret: Array("other".utf8), nowSeconds: 0) == .badSignature) }
        // A forged token that is also expired reports the forgery.
        withBytes(DebugToken.sign(expiry: 10, secret: Array("attacker".utf8))) {
            #expect(DebugToken.verify($0, secret: secret, nowSeconds: 100) == .badSignature)
        }
    }

    @Test func rejectsMalformedTokens() {
        let sig = "39gYDV1KFZzxyQmpzSKZft6ZwphMAG-WRyKai3XtPLM"
        let malformed = [
            "", "1", "v1", "v1.", "v1.1700000000", "v1.1700000000.",
            "v2.1700000000.\(sig)",
            "V1.1700000000.\(sig)",
            "v1.17000x0000.\(sig)",
            "v1..\(sig)",
            "v1.01700000000.\(sig)",
            "v1.99999999999999999999.\(sig)",
            "v1.123456789012345678901.\(sig)",
            "v1.1700000000.\(sig.dropLast())",
            "v1.1700000000.\(sig)A",
            "v1.1700000000.\(sig.dropLast())=",
            "v1.1700000000.\(sig.dropLast())+",
            "v1.1700000000.\(sig.dropLast())N",  // non-canonical: low bits of the last char set
            "v1.1700000000-\(sig)",
        ]
        for token in malformed {
            withBytes(token) { #expect(DebugToken.verify($0, secret: secret, nowSeconds: 0) == .malformed, "\(token)") }
        }
    }

    @Test func zeroExpiryIsWellFormedButExpired() {
        withBytes(DebugToken.sign(expiry: 0, secret: secret)) {
            #expect(DebugToken.verify($0, secret: secret, nowSeconds: 0) == .expired)
        }
    }

    @Test func enableValues() {
        for value in ["1", "true", "TRUE", "True", "on", "ON"] {
            withBytes(value) { #expect(DebugToken.isEnableValue($0), "\(value)") }
        }
        for value in ["", "0", "yes", "tru", "onn", "false", "off", "2", " 1"] {
            withBytes(value) { #expect(!DebugToken.isEnableValue($0), "\(value)") }
        }
    }
}

@Suite struct DebugRateLimiterTests {
    let second: UInt64 = 1_000_000_000

    @Test func grantsABurstThenRefillsWithTime() {
        var limiter = DebugRateLimiter(maxPerSecond: 2)
        let t0: UInt64 = 1_700_000_000 * second
        let later = t0 + 3600 * second
        let times = [t0, t0, t0, t0 + second / 4, t0 + second / 2, t0 + second / 2, later, later, later]
        let grants = times.map { limiter.tryAcquire(nowNanos: $0) }
        // Burst of two, then one more after half a second, and a long pause refills to two only.
        #expect(grants == [true, true, false, false, true, false, true, true, false])
    }

    @Test func zeroAllowsNothing() {
        var limiter = DebugRateLimiter(maxPerSecond: 0)
        let grants = [0, 100 * second].map { limiter.tryAcquire(nowNanos: $0) }
        #expect(grants == [false, false])
    }

    @Test func aClockGoingBackwardsRefillsNothing() {
        var limiter = DebugRateLimiter(maxPerSecond: 1)
        let grants = [10 * second, 5 * second, 10 * second + second / 2, 11 * second].map { limiter.tryAcquire(nowNanos: $0) }
        #expect(grants == [true, false, false, true])
    }

    @Test func largeRatesDoNotOverflow() {
        var limiter = DebugRateLimiter(maxPerSecond: .max)
        let grants = [0, UInt64.max].map { limiter.tryAcquire(nowNanos: $0) }
        #expect(grants == [true, true])
    }
}
