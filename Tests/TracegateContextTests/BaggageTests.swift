// BaggageTests.swift — W3C Baggage grammar, limits, percent-encoding, allow-list, redaction.

import Testing
import TracegateContext

@Suite struct BaggageTests {
    let allowAll = BaggageRules()

    private func filter(
        _ value: StaticString,
        rules: BaggageRules = BaggageRules(),
        trusted: Bool = true,
        prefix: StaticString = "",
        session: StaticString? = nil
    ) -> (String, BaggageFilterResult) {
        var sink = ByteArraySink()
        let result = Baggage.filter(
            fields: HeaderFields(bytes(value)),
            rules: rules,
            trusted: trusted,
            prefix: prefix,
            sessionID: session.map(bytes),
            into: &sink
        )
        #expect(result.bytesWritten == sink.bytes.count)
        return (sink.string, result)
    }

    @Test func parsesTheSpecExample() {
        var members = Baggage.Members(bytes("key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue"))
        guard case .member(let m1)? = members.next(), case .member(let m2)? = members.next(), case .member(let m3)? = members.next() else {
            Issue.record("expected three members")
            return
        }
        #expect(members.next() == nil)
        #expect(m1.key.text == "key1" && m1.value.text == "value1" && m1.properties.text == "property1;property2")
        #expect(m2.key.text == "key2" && m2.value.text == "value2" && m2.raw.text == "key2 = value2" && m2.properties.isEmpty)
        #expect(m3.key.text == "key3" && m3.properties.text == " propertyKey=propertyValue")
    }

    @Test func trustedPeerKeepsEveryWellFormedMemberVerbatim() {
        let (out, result) = filter("key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue")
        #expect(out == "key1=value1;property1;property2,key2 = value2,key3=value3; propertyKey=propertyValue")
        #expect(result.kept == 3 && result.dropped == 0)
    }

    @Test(arguments: [
        "k=a%2", "k=a%zz", "k=a b", "k=\"x\"", "k=a\\b", "k y=1", "=v", "k", "k=v;", "k=v;;p", "k=v;p=\"q\"",
        "k=v;=x", "k(=v", "k=\u{00E9}",
    ] as [StaticString])
    func dropsMalformedMembers(_ member: StaticString) {
        var members = Baggage.Members(bytes(member))
        guard case .malformed? = members.next() else {
            Issue.record("expected malformed")
            return
        }
        let (out, result) = filter(member)
        #expect(out.isEmpty && result.droppedMalformed == 1 && result.bytesWritten == 0)
    }

    @Test func malformedMembersDoNotTakeGoodOnesWithThem() {
        let (out, result) = filter("a=1, bad member ,b=2,,c=%41")
        #expect(out == "a=1,b=2,c=%41")
        #expect(result.kept == 3 && result.droppedMalformed == 1)
    }

    @Test(arguments: ["k=", "k=v;p", "k=v; p = x ;q", "k=%25", "!#$%&'*+-.^_`|~=v", "k=a=b==c"] as [StaticString])
    func acceptsGrammarEdgeCases(_ member: StaticString) {
        let (_, result) = filter(member)
        #expect(result.kept == 1)
    }

    @Test func appendMemberPercentEncodesTheValue() {
        let cases: [(String, String)] = [
            ("DF 28", "k=DF%2028"),
            ("Amélie", "k=Am%C3%A9lie"),
            ("100%", "k=100%25"),
            ("a,b;c\"d\\e", "k=a%2Cb%3Bc%22d%5Ce"),
            ("plain-value=ok", "k=plain-value=ok"),
            ("", "k="),
        ]
        for (value, expected) in cases {
            let out = withBytes(value) { v in written { #expect(Baggage.appendMember(key: bytes("k"), value: v, into: &$0)) } }
            #expect(out == expected)
            // And back.
            let decoded = withBytes(String(expected.dropFirst(2))) { e in
                var sink = ByteArraySink()
                #expect(Baggage.percentDecode(e, into: &sink))
                return sink.string
            }
            #expect(decoded == value)
        }
        let refused = written { #expect(!Baggage.appendMember(key: bytes("bad key"), value: bytes("v"), into: &$0)) }
        #expect(refused.isEmpty)
    }

    @Test func memberLimitDropsTheWholeHeader() {
        withArena { arena in
            let sixtyFour = (1...64).map { "k\($0)=v" }.joined(separator: ",")
            var sink = ByteArraySink()
            var result = Baggage.filter(arena.bytes(sixtyFour), rules: allowAll, trusted: true, into: &sink)
            #expect(result.kept == 64 && !result.overLimit)
            sink = ByteArraySink()
            result = Baggage.filter(arena.bytes(sixtyFour + ",k65=v"), rules: allowAll, trusted: true, into: &sink)
            #expect(result.overLimit && result.kept == 0 && result.droppedOverLimit == 65 && sink.bytes.isEmpty)
            // The limit applies across lines.
            sink = ByteArraySink()
            let split = HeaderFields([arena.bytes(sixtyFour), arena.bytes("k65=v")])
            result = Baggage.filter(fields: split, rules: allowAll, trusted: true, into: &sink)
            #expect(result.overLimit && sink.bytes.isEmpty)
        }
    }

    @Test func byteLimitDropsTheWholeHeader() {
        withArena { arena in
            let exact = "k=" + String(repeating: "v", count: 8190)
            var sink = ByteArraySink()
            var result = Baggage.filter(arena.bytes(exact), rules: allowAll, trusted: true, into: &sink)
            #expect(!result.overLimit && result.kept == 1 && sink.bytes.count == 8192)
            sink = ByteArraySink()
            result = Baggage.filter(arena.bytes(exact + "v"), rules: allowAll, trusted: true, into: &sink)
            #expect(result.overLimit && result.droppedOverLimit == 1 && sink.bytes.isEmpty)
            // Two lines count with the comma that joins them.
            sink = ByteArraySink()
            let fields = HeaderFields([arena.bytes("a=1"), arena.bytes("k=" + String(repeating: "v", count: 8187))])
            #expect(fields.combinedByteCount == 8193)
            result = Baggage.filter(fields: fields, rules: allowAll, trusted: true, into: &sink)
            #expect(result.overLimit)
            let small = BaggageRules(maxMembers: 2, maxBytes: 10)
            sink = ByteArraySink()
            result = Baggage.filter(bytes("a=1,b=2,c=3"), rules: small, trusted: true, into: &sink)
            #expect(result.overLimit && result.droppedOverLimit == 3)
        }
    }

    @Test func untrustedPeersOnlyPassAllowListedKeys() {
        let rules = BaggageRules(allowedKeys: ["user.tier", "region"], redactPatterns: [])
        let (out, result) = filter("user.tier=gold,region=eu,admin=true,Region=us", rules: rules, trusted: false)
        #expect(out == "user.tier=gold,region=eu")
        #expect(result.kept == 2 && result.droppedNotAllowed == 2)
        let (trustedOut, trustedResult) = filter("user.tier=gold,region=eu,admin=true", rules: rules, trusted: true)
        #expect(trustedOut == "user.tier=gold,region=eu,admin=true" && trustedResult.kept == 3)
    }

    @Test func redactionIsCaseInsensitiveAndAppliesToTrustedPeersToo() {
        let rules = BaggageRules(allowedKeys: ["authToken", "tier"], redactPatterns: ["token", "PASSWORD"])
        for trusted in [true, false] {
            let (out, result) = filter("authToken=abc,X-TOKEN-id=1,db_password=x,tier=1", rules: rules, trusted: trusted)
            #expect(out == "tier=1")
            #expect(result.droppedRedacted == 3 && result.droppedNotAllowed == 0 && result.kept == 1)
        }
    }

    @Test func sessionIDIsReplacedByTheEdgesValue() {
        let (out, result) = filter("session.id=evil,user=1,Session.ID=evil2", session: "abc123")
        #expect(out == "user=1,session.id=abc123")
        #expect(result.droppedSessionKey == 2 && result.appendedSession && result.kept == 1)
        // Without a session from the edge, an incoming session.id is still removed.
        let (none, noneResult) = filter("session.id=evil", session: nil)
        #expect(none.isEmpty && noneResult.droppedSessionKey == 1 && !noneResult.appendedSession)
    }

    @Test func prefixIsWrittenOnlyWhenSomethingIs() {
        let (empty, emptyResult) = filter("secret=1", rules: BaggageRules(), trusted: false, prefix: "baggage: ")
        #expect(empty.isEmpty && emptyResult.bytesWritten == 0)
        let (out, _) = filter("a=1,b=2", prefix: "baggage: ")
        #expect(out == "baggage: a=1,b=2")
        let (sessionOnly, sessionResult) = filter("", prefix: "baggage: ", session: "s1")
        #expect(sessionOnly == "baggage: session.id=s1" && sessionResult.bytesWritten == 22)
        // Over limit: the incoming list goes, the edge's own member stays.
        let (over, overResult) = filter("a=1,b=2,c=3", rules: BaggageRules(maxMembers: 2), prefix: "baggage: ", session: "s1")
        #expect(over == "baggage: session.id=s1" && overResult.overLimit)
    }

    @Test func overflowedLinesAreOverLimit() {
        var fields = HeaderFields()
        for _ in 0...HeaderFields.capacity { fields.append(bytes("a=1")) }
        var sink = ByteArraySink()
        let result = Baggage.filter(fields: fields, rules: allowAll, trusted: true, into: &sink)
        #expect(result.overLimit && sink.bytes.isEmpty)
    }
}
