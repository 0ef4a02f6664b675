// TraceStateTests.swift — tracestate list grammar, keys, values, limits, duplicates.

import Testing
import TracegateContext

@Suite struct TraceStateTests {
    @Test(arguments: [
        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        "",
        " ",
        " , ,\t,",
        "foo=1 \t , \t bar=2, \t baz=3",
        "foo=1\t \t,\t \tbar=2,\t \tbaz=3",
        " foo=1",
        "\tfoo=1",
        "foo=1 ",
        "\t foo=1 \t",
        "foo= 1",
        "foo=1,,bar=2",
        "tenant@vendor=1",
        "0digitfirst=x",
        "a-b_c*d/e=v",
    ] as [StaticString])
    func acceptsValidLists(_ value: StaticString) {
        #expect(TraceState.validate(bytes(value)))
    }

    @Test(arguments: [
        "foo =1",
        "FOO=1",
        "foo.bar=1",
        "@foo=1,bar=2",
        "_foo=1",
        "foo=a=b",
        "foo=",
        "foo",
        "=1",
        "foo=a\tb",
        "foo=\u{7F}",
        "foo=1,foo=1",
        "foo=1,bar=2,foo=3",
    ] as [StaticString])
    func rejectsInvalidLists(_ value: StaticString) {
        #expect(!TraceState.validate(bytes(value)))
    }

    @Test func acceptsEveryAllowedCharacter() {
        // The W3C test suite's "all allowed characters" case.
        let key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
        let value = String((0x20...0x7E).compactMap { $0 == 0x2C || $0 == 0x3D ? nil : Character(UnicodeScalar(UInt8($0))) })
        withBytes("\(key)=\(value)") { #expect(TraceState.validate($0)) }
        withBytes("\(key)@a-z0-9_-*/=\(value)") { #expect(TraceState.validate($0)) }
    }

    @Test func rejectsControlAndNonASCIIValueBytes() {
        for byte: UInt8 in [0x00, 0x01, 0x0A, 0x0D, 0x7F, 0x80, 0xFF] {
            [0x6B, 0x3D, 0x61, byte, 0x62].withUnsafeBytes { #expect(!TraceState.validate($0), "byte \(byte)") }
        }
    }

    @Test func enforcesThirtyTwoMembers() {
        let members = (1...33).map { String(format2($0)) }
        withBytes(members.prefix(32).joined(separator: ",")) { #expect(TraceState.validate($0)) }
        withBytes(members.joined(separator: ",")) { #expect(!TraceState.validate($0)) }
        // Empty members do not count.
        withBytes(members.prefix(32).joined(separator: ", ,")) { #expect(TraceState.validate($0)) }
    }

    @Test func combinesSeveralLinesIntoOneList() {
        withArena { arena in
            // The W3C suite's member-count case, split over four lines.
            let lines = stride(from: 1, through: 31, by: 10).map { start in
                (start..<min(start + 10, 33)).map(format2).joined(separator: ",")
            }
            let ok = lines.map(arena.bytes)
            #expect(TraceState.validate(fields: ok))
            #expect(TraceState.validate(fields: HeaderFields(ok)))
            #expect(TraceState.memberCount(fields: HeaderFields(ok)) == 32)
            let tooMany = ok + [arena.bytes("bar33=33")]
            #expect(!TraceState.validate(fields: tooMany))
            #expect(!TraceState.validate(fields: HeaderFields(tooMany)))
            // A duplicate across lines is still a duplicate.
            let duplicated = [arena.bytes("foo=1"), arena.bytes("foo=2")]
            #expect(!TraceState.validate(fields: HeaderFields(duplicated)))
            #expect(TraceState.validate(fields: HeaderFields(duplicated), rejectDuplicateKeys: false))
            // Empty lines are allowed.
            #expect(TraceState.validate(fields: HeaderFields([arena.bytes(""), arena.bytes("foo=1")])))
        }
    }

    @Test func overflowedFieldListIsInvalid() {
        var fields = HeaderFields()
        for _ in 0...HeaderFields.capacity { fields.append(bytes("a=1")) }
        #expect(fields.overflowed)
        #expect(!TraceState.validate(fields: fields, rejectDuplicateKeys: false))
    }

    @Test func keyAndValueLengthLimits() {
        withBytes(String(repeating: "z", count: 256) + "=1") { #expect(TraceState.validate($0)) }
        withBytes(String(repeating: "z", count: 257) + "=1") { #expect(!TraceState.validate($0)) }
        withBytes("k=" + String(repeating: "v", count: 256)) { #expect(TraceState.validate($0)) }
        withBytes("k=" + String(repeating: "v", count: 257)) { #expect(!TraceState.validate($0)) }
    }

    @Test(arguments: [
        ("tenant@vendor", true, true),
        ("fw529a3039@dt", true, true),
        ("1tenant@sys", true, true),
        ("foo@", false, true),
        ("foo@@bar", false, true),
        ("foo@bar@baz", false, true),
        ("tenant@1sys", false, true),
        ("tenant@abcdefghijklmn", true, true),
        ("tenant@abcdefghijklmno", false, true),
        ("1abc", false, true),
        ("@foo", false, false),
        ("Tenant@vendor", false, false),
    ] as [(String, Bool, Bool)])
    func multiTenantKeys(_ key: String, _ level1: Bool, _ level2: Bool) {
        withBytes(key) {
            #expect(TraceState.isValidKey($0, grammar: .level1) == level1)
            #expect(TraceState.isValidKey($0, grammar: .level2) == level2)
        }
    }

    @Test func level1TenantLengthLimit() {
        withBytes(String(repeating: "t", count: 241) + "@v") { #expect(TraceState.isValidKey($0, grammar: .level1)) }
        withBytes(String(repeating: "t", count: 242) + "@v") { #expect(!TraceState.isValidKey($0, grammar: .level1)) }
    }

    @Test func membersIteratorSplitsKeysAndValues() {
        var members = TraceState.Members(bytes(" rojo=00f067aa0ba902b7 ,, congo= t61rcWkgMzE\t"))
        let first = members.next()
        #expect(first?.key.text == "rojo" && first?.value.text == "00f067aa0ba902b7")
        let second = members.next()
        #expect(second?.key.text == "congo" && second?.value.text == " t61rcWkgMzE")
        #expect(members.next() == nil)
    }
}

private func format2(_ n: Int) -> String {
    n < 10 ? "bar0\(n)=0\(n)" : "bar\(n)=\(n)"
}
