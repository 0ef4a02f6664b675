// ByteClassTests.swift — the character-class table and the SWAR hex codec, checked byte by byte.

import Testing
import TracegateContext

@Suite struct ByteClassTests {
    private static let alnum = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8))

    private func one(_ byte: UInt8, _ check: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        [byte].withUnsafeBytes(check)
    }

    @Test func everyByteOfEveryClassMatchesItsDefinition() {
        let correlation = Self.alnum.union("._~:@/+=-".utf8)
        let session = Self.alnum.union("._~+/=-".utf8)
        let tchar = Self.alnum.union("!#$%&'*+-.^_`|~".utf8)
        let keyChar = Set("abcdefghijklmnopqrstuvwxyz0123456789_-*/".utf8)
        for value in 0...255 {
            let b = UInt8(value)
            #expect(one(b) { CorrelationID.isWellFormed($0, maxLength: 1) } == correlation.contains(b), "correlation \(b)")
            #expect(one(b) { SessionID.isWellFormed($0, maxLength: 1) } == session.contains(b), "session \(b)")
            #expect(one(b) { Baggage.isValidKey($0) } == tchar.contains(b), "tchar \(b)")
            // baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E ('%' alone is a bad escape)
            let octet = b == 0x21 || (0x23...0x2B).contains(b) || (0x2D...0x3A).contains(b) || (0x3C...0x5B).contains(b) || (0x5D...0x7E).contains(b)
            #expect(one(b) { Baggage.isValidValue($0) } == (octet && b != 0x25), "baggage-octet \(b)")
            // tracestate value: nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
            let nblk = (0x21...0x2B).contains(b) || (0x2D...0x3C).contains(b) || (0x3E...0x7E).contains(b)
            #expect(one(b) { TraceState.isValidValue($0) } == nblk, "nblk \(b)")
            #expect([UInt8(ascii: "a"), b, UInt8(ascii: "b")].withUnsafeBytes { TraceState.isValidValue($0) } == (nblk || b == 0x20), "chr \(b)")
            #expect([UInt8(ascii: "a"), b].withUnsafeBytes { TraceState.isValidKey($0, grammar: .level1) } == keyChar.contains(b), "keychar \(b)")
        }
    }

    @Test func swarHexParsingRejectsEveryNonHexByteInEveryPosition() {
        let good = Array("00-0123456789abcdef0123456789abcdef-fedcba9876543210-01".utf8)
        #expect(good.withUnsafeBytes { TraceParent.parse($0) } != nil)
        let hexPositions = Array(3..<35) + Array(36..<52)
        let lowerHex = Set("0123456789abcdef".utf8)
        for position in hexPositions {
            for value in 0...255 where !lowerHex.contains(UInt8(value)) {
                var bad = good
                bad[position] = UInt8(value)
                #expect(bad.withUnsafeBytes { TraceParent.parse($0) } == nil, "byte \(value) at \(position)")
            }
        }
    }

    @Test func swarHexRoundTripsRandomIDs() {
        var random = FastRandom(seed: 77)
        for _ in 0..<2000 {
            let id = TraceID(hi: random.next(), lo: random.next())
            let text = id.description
            #expect(text.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) })
            #expect(withBytes(text) { TraceID(lowercaseHex: $0) } == id)
            let span = SpanID(random.next())
            #expect(withBytes(span.description) { SpanID(lowercaseHex: $0) } == span)
        }
        #expect(TraceID(hi: 0x0123_4567_89ab_cdef, lo: 0xfedc_ba98_7654_3210).description == "0123456789abcdeffedcba9876543210")
        #expect(SpanID(.max).description == "ffffffffffffffff" && SpanID(0).description == "0000000000000000")
    }
}
