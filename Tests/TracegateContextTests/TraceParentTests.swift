// TraceParentTests.swift — W3C Trace Context traceparent vectors (valid and every invalid shape).

import Testing
import TracegateContext

@Suite struct TraceParentTests {
    @Test func parsesTheSpecExample() throws {
        let parsed = try #require(TraceParent.parse(bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
        #expect(parsed.version == 0)
        #expect(parsed.traceID == TraceID(hi: 0x4bf9_2f35_77b3_4da6, lo: 0xa3ce_929d_0e0e_4736))
        #expect(parsed.parentID == SpanID(0x00f0_67aa_0ba9_02b7))
        #expect(parsed.flags == .sampled)
        #expect(parsed.description == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    }

    @Test func keepsAllFlagBitsAsReceived() throws {
        let parsed = try #require(TraceParent.parse(bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff")))
        #expect(parsed.flags.rawValue == 0xFF)
        #expect(parsed.flags.intersection(.known) == [.sampled, .random])
        let unsampled = try #require(TraceParent.parse(bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")))
        #expect(unsampled.flags.isEmpty)
    }

    @Test(arguments: [
        // version 00 with anything after the flags
        "00-12345678901234567890123456789012-1234567890123456-01.",
        "00-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
        // version ff, illegal version characters, wrong version length
        "ff-12345678901234567890123456789012-1234567890123456-01",
        ".0-12345678901234567890123456789012-1234567890123456-01",
        "0.-12345678901234567890123456789012-1234567890123456-01",
        "000-12345678901234567890123456789012-1234567890123456-01",
        "0000-12345678901234567890123456789012-1234567890123456-01",
        "0-12345678901234567890123456789012-1234567890123456-01",
        // trace-id: all zero, illegal characters, too long, too short, uppercase
        "00-00000000000000000000000000000000-1234567890123456-01",
        "00-.2345678901234567890123456789012-1234567890123456-01",
        "00-1234567890123456789012345678901.-1234567890123456-01",
        "00-123456789012345678901234567890123-1234567890123456-01",
        "00-1234567890123456789012345678901-1234567890123456-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473G-00f067aa0ba902b7-01",
        // parent-id: all zero, illegal characters, too long, too short, uppercase
        "00-12345678901234567890123456789012-0000000000000000-01",
        "00-12345678901234567890123456789012-.234567890123456-01",
        "00-12345678901234567890123456789012-123456789012345.-01",
        "00-12345678901234567890123456789012-12345678901234567-01",
        "00-12345678901234567890123456789012-123456789012345-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
        // trace-flags: illegal characters, too long, too short, uppercase
        "00-12345678901234567890123456789012-1234567890123456-.0",
        "00-12345678901234567890123456789012-1234567890123456-0.",
        "00-12345678901234567890123456789012-1234567890123456-001",
        "00-12345678901234567890123456789012-1234567890123456-1",
        "00-12345678901234567890123456789012-1234567890123456-0A",
        // wrong delimiters, OWS (the caller trims it), uppercase higher version, empty
        "00_12345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012_1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456_01",
        " 00-12345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456-01 ",
        "CC-12345678901234567890123456789012-1234567890123456-01",
        "",
        // higher version: junk at index 55, too short
        "cc-12345678901234567890123456789012-1234567890123456-01.what-the-future-will-be-like",
        "01-12345678901234567890123456789012-1234567890123456-01x",
        "01-12345678901234567890123456789012-1234567890123456-1",
    ] as [StaticString])
    func rejectsInvalidShapes(_ value: StaticString) {
        #expect(TraceParent.parse(bytes(value)) == nil)
    }

    @Test(arguments: [
        "cc-12345678901234567890123456789012-1234567890123456-01",
        "cc-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
        "01-12345678901234567890123456789012-1234567890123456-01-",
        "01-12345678901234567890123456789012-1234567890123456-01-extra-fields",
    ] as [StaticString])
    func parsesHigherVersionsByTheirPrefix(_ value: StaticString) throws {
        let parsed = try #require(TraceParent.parse(bytes(value)))
        #expect(parsed.traceID.description == "12345678901234567890123456789012")
        #expect(parsed.parentID.description == "1234567890123456")
        #expect(parsed.flags == .sampled)
        // Written back it is downgraded to version 00 and loses the unknown fields.
        #expect(parsed.description == "00-12345678901234567890123456789012-1234567890123456-01")
    }

    @Test func higherVersionIsReported() throws {
        let parsed = try #require(TraceParent.parse(bytes("cc-12345678901234567890123456789012-1234567890123456-01")))
        #expect(parsed.version == 0xCC)
    }

    @Test func writeEmitsFiftyFiveBytesOfVersion00() {
        let value = TraceParent(version: 0x42, traceID: TraceID(hi: 1, lo: 2), parentID: SpanID(3), flags: [.sampled, .random])
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { value.write(into: $0.baseAddress!) }
        #expect(n == 55)
        #expect(String(decoding: buffer[0..<n], as: UTF8.self) == "00-00000000000000010000000000000002-0000000000000003-03")
    }

    @Test func upstreamTraceresponseAndServerTimingValues() {
        let trace = TraceID(hi: 0x4bf9_2f35_77b3_4da6, lo: 0xa3ce_929d_0e0e_4736)
        let upstream = written { TraceParent.writeUpstream(traceID: trace, parentSpanID: SpanID(0xAB), flags: .sampled, into: &$0) }
        #expect(upstream == "00-4bf92f3577b34da6a3ce929d0e0e4736-00000000000000ab-01")
        let response = written { TraceParent.writeTraceresponse(traceID: trace, serverSpanID: SpanID(0xCD), flags: [], into: &$0) }
        #expect(response == "00-4bf92f3577b34da6a3ce929d0e0e4736-00000000000000cd-00")
        let timing = written { TraceParent.writeServerTimingTrace(traceID: trace, serverSpanID: SpanID(0xCD), flags: .random, into: &$0) }
        #expect(timing == "trace;desc=00-4bf92f3577b34da6a3ce929d0e0e4736-00000000000000cd-02")
    }

    @Test func idHexParsingIsLowercaseOnlyAndExactLength() {
        #expect(TraceID(lowercaseHex: bytes("0af7651916cd43dd8448eb211c80319c")) == TraceID(hi: 0x0af7_6519_16cd_43dd, lo: 0x8448_eb21_1c80_319c))
        #expect(TraceID(lowercaseHex: bytes("0AF7651916CD43DD8448EB211C80319C")) == nil)
        #expect(TraceID(lowercaseHex: bytes("0af7651916cd43dd8448eb211c80319")) == nil)
        #expect(SpanID(lowercaseHex: bytes("b7ad6b7169203331")) == SpanID(0xb7ad_6b71_6920_3331))
        #expect(SpanID(lowercaseHex: bytes("b7ad6b716920333g")) == nil)
        #expect(!TraceID.invalid.isValid && !SpanID.invalid.isValid)
        #expect(TraceID(hi: 0, lo: 1).isValid && SpanID(1).isValid)
    }

    @Test func randomnessIsTheRightmostSevenBytes() {
        #expect(TraceID(hi: .max, lo: 0xAB12_3456_789A_BCDE).randomness == 0x0012_3456_789A_BCDE)
    }
}
