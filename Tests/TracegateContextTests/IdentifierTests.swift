// IdentifierTests.swift — correlation ids, session ids, cookies.

import Testing
import TracegateContext

@Suite struct CorrelationIDTests {
    @Test(arguments: [
        "0af7651916cd43dd8448eb211c80319c",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "dGVzdA==",
        "a+b/c=",
        "a-b_c",
        "host:1234@svc~x.y",
        "x",
    ] as [StaticString])
    func acceptsCommonIDFormats(_ id: StaticString) {
        #expect(CorrelationID.isWellFormed(bytes(id), maxLength: 64))
    }

    @Test(arguments: ["", "a b", "a\"b", "a\\b", "a,b", "a;b", "a\r\nb", "a\tb", "caf\u{00E9}", "<script>", "a%20b"] as [StaticString])
    func rejectsUnsafeBytes(_ id: StaticString) {
        #expect(!CorrelationID.isWellFormed(bytes(id), maxLength: 64))
    }

    @Test func enforcesMaxLength() {
        #expect(CorrelationID.isWellFormed(bytes("abcd"), maxLength: 4))
        #expect(!CorrelationID.isWellFormed(bytes("abcde"), maxLength: 4))
    }

    @Test func generatesUUIDv4AndTraceIDForms() {
        var random = FastRandom(seed: 7)
        for _ in 0..<200 {
            let text = GeneratedCorrelationID.uuid(UUIDv4(using: &random)).description
            let chars = Array(text.utf8)
            #expect(chars.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { chars[$0] == UInt8(ascii: "-") })
            #expect(chars[14] == UInt8(ascii: "4"))
            #expect("89ab".utf8.contains(chars[19]))
            #expect(chars.enumerated().allSatisfy { [8, 13, 18, 23].contains($0.offset) || "0123456789abcdef".utf8.contains($0.element) })
        }
        let trace = TraceID(hi: 0x0af7_6519_16cd_43dd, lo: 0x8448_eb21_1c80_319c)
        let generated = GeneratedCorrelationID.generate(mode: .traceID, traceID: trace, random: &random)
        #expect(generated.description == "0af7651916cd43dd8448eb211c80319c" && generated.length == 32)
        #expect(written { generated.append(to: &$0) } == "0af7651916cd43dd8448eb211c80319c")
        let uuid = GeneratedCorrelationID.generate(mode: .uuid, traceID: trace, random: &random)
        #expect(uuid.length == 36 && written { uuid.append(to: &$0) } == uuid.description)
    }
}

@Suite struct SessionTests {
    let name = bytes("tg_session")

    private func extract(_ cookie: StaticString) -> String? {
        let value = bytes(cookie)
        return SessionID.extract(fromCookie: value, name: name).map { UnsafeRawBufferPointer(rebasing: value[$0]).text }
    }

    @Test func extractsTheNamedCookie() {
        #expect(extract("tg_session=abc") == "abc")
        #expect(extract("a=1; tg_session=abc; b=2") == "abc")
        #expect(extract("a=1;tg_session=abc") == "abc")
        #expect(extract("a=1;  tg_session=abc  ;b=2") == "abc")
        #expect(extract("tg_session=\"quoted\"") == "quoted")
        #expect(extract("tg_session=") == "")
    }

    @Test func takesTheFirstMatchOnly() {
        #expect(extract("tg_session=first; tg_session=second") == "first")
    }

    @Test func doesNotConfuseSimilarNames() {
        #expect(extract("xtg_session=abc; tg_session_old=def; TG_SESSION=ghi") == nil)
        #expect(extract("tg_session") == nil)
        #expect(extract("") == nil)
        #expect(extract("a=tg_session=abc") == nil)
    }

    @Test func validatesSessionIDs() {
        #expect(SessionID.isWellFormed(bytes("0af7651916cd43dd8448eb211c80319c"), maxLength: 64))
        #expect(SessionID.isWellFormed(bytes("dGVzdA=="), maxLength: 64))
        #expect(SessionID.isWellFormed(bytes("a-b_c.d~e+f/g"), maxLength: 64))
        #expect(!SessionID.isWellFormed(bytes(""), maxLength: 64))
        #expect(!SessionID.isWellFormed(bytes("a:b"), maxLength: 64))
        #expect(!SessionID.isWellFormed(bytes("a@b"), maxLength: 64))
        #expect(!SessionID.isWellFormed(bytes("a b"), maxLength: 64))
        #expect(!SessionID.isWellFormed(bytes("a;b"), maxLength: 64))
        #expect(!SessionID.isWellFormed(bytes("abcde"), maxLength: 4))
    }

    @Test func writesTheSetCookieValue() {
        let plain = written { SessionCookie.write(name: name, id: bytes("abc"), maxAgeSeconds: 3600, secure: false, into: &$0) }
        #expect(plain == "tg_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax")
        let secure = written { SessionCookie.write(name: name, id: bytes("abc"), maxAgeSeconds: 0, secure: true, into: &$0) }
        #expect(secure == "tg_session=abc; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure")
        let id = SessionID(hi: 1, lo: 0xFF)
        let issued = written { SessionCookie.write(name: name, id: id, maxAgeSeconds: 2_592_000, secure: true, into: &$0) }
        #expect(issued == "tg_session=000000000000000100000000000000ff; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure")
    }

    @Test func generatesThirtyTwoLowercaseHexCharacters() {
        var random = FastRandom(seed: 1)
        let a = SessionID.generate(using: &random)
        let b = SessionID.generate(using: &random)
        #expect(a != b)
        #expect(a.description.count == 32)
        #expect(a.description.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) })
        #expect(a.withHexBytes { SessionID.isWellFormed($0, maxLength: 32) })
    }
}
