// Downstream HTTP/2 request blocks -> HTTP/1.1 request heads (RFC 9113 §8.3.1, §8.2).
import Testing
import TracegateHTTP

@Suite("Translation: HTTP/2 request to HTTP/1.1")
struct TranslationRequestTests {
  @Test("a GET that ends the stream: request-line, host first, fields in order, no framing")
  func simpleGet() throws {
    let result = translateRequest(
      requestFields(path: "/a/b?c=d", [("accept", "*/*"), ("user-agent", "curl/8"), ("x-empty", "")]),
      endStream: true)
    let translated = try #require(result.value)
    #expect(
      translated.text
        == "GET /a/b?c=d HTTP/1.1\r\nhost: example.com\r\naccept: */*\r\nuser-agent: curl/8\r\nx-empty: \r\n\r\n")
    #expect(translated.body == .none)

    let head = try #require(parseRequest(translated.text).head)
    #expect(head.method == .get)
    #expect(slice(head.target, translated.text) == "/a/b?c=d")
    #expect(head.framing == .none)
    #expect(
      allFields(head.headers, translated.text)
        == [Field("host", "example.com"), Field("accept", "*/*"), Field("user-agent", "curl/8"), Field("x-empty", "")])
  }

  @Test("no content-length and the stream continues: chunked framing is added")
  func chunkedWhenLengthUnknown() throws {
    let translated = try #require(
      translateRequest(requestFields(method: "POST", [("content-type", "application/json")]), endStream: false).value)
    #expect(translated.body == .chunked)
    #expect(translated.text.hasSuffix("content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"))
    let head = try #require(parseRequest(translated.text).head)
    #expect(head.method == .post)
    #expect(head.framing == .chunked)
    #expect(!head.rewritesTransferEncoding)  // written canonically, so forwarded verbatim
  }

  @Test("content-length is kept and frames the body")
  func contentLength() throws {
    let translated = try #require(
      translateRequest(requestFields(method: "PUT", [("content-length", "5"), ("x-a", "1")]), endStream: false).value)
    #expect(translated.body == .contentLength(5))
    #expect(translated.text == "PUT / HTTP/1.1\r\nhost: example.com\r\ncontent-length: 5\r\nx-a: 1\r\n\r\n")
    let head = try #require(parseRequest(translated.text).head)
    #expect(head.framing == .contentLength(5))
  }

  @Test("content-length 0 on a stream that ended is fine")
  func zeroLengthEnded() throws {
    let translated = try #require(
      translateRequest(requestFields(method: "POST", [("content-length", "0")]), endStream: true).value)
    #expect(translated.body == .contentLength(0))
    #expect(parseRequest(translated.text).head?.framing == .contentLength(0))
  }

  @Test("repeated equal content-length values become one field; list form too")
  func repeatedContentLength() throws {
    let repeated = try #require(
      translateRequest(
        requestFields(method: "POST", [("content-length", "7"), ("x", "y"), ("content-length", "007")]),
        endStream: false
      ).value)
    #expect(repeated.body == .contentLength(7))
    #expect(repeated.text == "POST / HTTP/1.1\r\nhost: example.com\r\ncontent-length: 7\r\nx: y\r\n\r\n")
    let list = try #require(
      translateRequest(requestFields(method: "POST", [("content-length", "3, 3")]), endStream: false).value)
    #expect(list.body == .contentLength(3))
    #expect(list.text.contains("content-length: 3\r\n"))
  }

  @Test(
    "content-length errors",
    arguments: [
      ([("content-length", "abc")], false, H2TranslationError.Kind.invalidContentLength),
      ([("content-length", "")], false, .invalidContentLength),
      ([("content-length", "-1")], false, .invalidContentLength),
      ([("content-length", "0x10")], false, .invalidContentLength),
      ([("content-length", "99999999999999999999")], false, .invalidContentLength),
      ([("content-length", "1, 2")], false, .conflictingContentLength),
      ([("content-length", "1"), ("content-length", "2")], false, .conflictingContentLength),
      ([("content-length", "5")], true, .contentLengthWithEndStream),
    ])
  func contentLengthErrors(extra: [(String, String)], endStream: Bool, kind: H2TranslationError.Kind) {
    let error = translateRequest(requestFields(method: "POST", extra), endStream: endStream).failure
    #expect(error?.kind == kind)
    #expect(error?.status == 400)
  }

  @Test("OPTIONS * becomes the asterisk-form")
  func asteriskForm() throws {
    let translated = try #require(translateRequest(requestFields(method: "OPTIONS", path: "*"), endStream: true).value)
    #expect(translated.text.hasPrefix("OPTIONS * HTTP/1.1\r\n"))
    let head = try #require(parseRequest(translated.text).head)
    #expect(head.method == .options)
  }

  @Test("extension methods and other schemes pass through")
  func extensionMethod() throws {
    let translated = try #require(
      translateRequest(requestFields(method: "PROPFIND", scheme: "coap+tcp", path: "/dav"), endStream: true).value)
    #expect(translated.text.hasPrefix("PROPFIND /dav HTTP/1.1\r\n"))
    let head = try #require(parseRequest(translated.text).head)
    #expect(head.method == .other)
    #expect(slice(head.methodRange, translated.text) == "PROPFIND")
  }

  static let malformedPseudoSections: [([(String, String)], H2TranslationError.Kind)] = [
    ([(":scheme", "https"), (":path", "/"), (":authority", "a")], .missingMethod),
    ([(":method", "GET"), (":path", "/"), (":authority", "a")], .missingScheme),
    ([(":method", "GET"), (":scheme", "https"), (":authority", "a")], .missingPath),
    ([(":method", "GET"), (":scheme", "https"), (":path", ""), (":authority", "a")], .emptyPath),
    (requestFields() + [(":path", "/again")], .duplicatePseudoHeader),
    (requestFields([("accept", "*/*"), (":path", "/late")]), .pseudoHeaderAfterRegularField),
    ([(":method", "GET"), (":method", "GET"), (":scheme", "https"), (":path", "/")], .duplicatePseudoHeader),
    ([(":method", "GET"), (":scheme", "https"), (":scheme", "http"), (":path", "/")], .duplicatePseudoHeader),
    ([(":method", "GET"), (":scheme", "https"), (":path", "/"), (":path", "/")], .duplicatePseudoHeader),
    ([(":method", "GET"), (":authority", "a"), (":authority", "a"), (":scheme", "https"), (":path", "/")],
     .duplicatePseudoHeader),
    (requestFields() + [(":status", "200")], .unknownPseudoHeader),
    ([(":status", "200"), (":method", "GET"), (":scheme", "https"), (":path", "/")], .unknownPseudoHeader),
    ([(":method", "GET"), (":foo", "x"), (":scheme", "https"), (":path", "/")], .unknownPseudoHeader),
    ([(":", "x"), (":method", "GET"), (":scheme", "https"), (":path", "/")], .unknownPseudoHeader),
    ([(":METHOD", "GET"), (":scheme", "https"), (":path", "/")], .unknownPseudoHeader),
    (requestFields(method: "GE T"), .invalidMethod),
    (requestFields(method: ""), .invalidMethod),
    (requestFields(method: "GET\r\n"), .invalidMethod),
    (requestFields(scheme: ""), .invalidScheme),
    (requestFields(scheme: "1http"), .invalidScheme),
    (requestFields(scheme: "ht tp"), .invalidScheme),
    (requestFields(path: "http://evil.example/x"), .invalidPath),
    (requestFields(path: "relative"), .invalidPath),
    (requestFields(path: "/a b"), .invalidPath),
    (requestFields(path: "/a\tb"), .invalidPath),
    (requestFields(path: "/a\r\nx: y"), .invalidPath),
    (requestFields(path: "/caf\u{e9}"), .invalidPath),
    (requestFields(path: "/\u{7f}"), .invalidPath),
    (requestFields(path: "*"), .invalidPath),
    (requestFields(method: "OPTIONS", path: "**"), .invalidPath),
    (requestFields([(":protocol", "websocket")]), .protocolWithoutConnect),
    (requestFields([("accept", "*/*"), (":protocol", "websocket")]), .pseudoHeaderAfterRegularField),
    ([(":method", "GET"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/"), (":authority", "a")],
     .protocolWithoutConnect),
  ]

  @Test("malformed pseudo-header sections are refused with 400", arguments: malformedPseudoSections)
  func pseudoHeaderErrors(fieldList: [(String, String)], kind: H2TranslationError.Kind) {
    let error = translateRequest(fieldList, endStream: true).failure
    #expect(error?.kind == kind)
    #expect(error?.status == 400)
  }

  @Test("CONNECT and extended CONNECT are refused with 501")
  func connect() {
    let plain = translateRequest([(":method", "CONNECT"), (":authority", "example.com:443")], endStream: false)
    #expect(plain.failure == H2TranslationError(.connectNotSupported, status: 501))
    let extended = translateRequest(
      [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"),
       (":authority", "example.com")],
      endStream: false)
    #expect(extended.failure == H2TranslationError(.connectNotSupported, status: 501))
  }

  @Test("Host comes from :authority, else from the host field where it stood")
  func hostFromAuthorityOrField() throws {
    let fromField = try #require(
      translateRequest(requestFields(authority: nil, [("accept", "*/*"), ("host", "h.example:8080")]), endStream: true)
        .value)
    #expect(fromField.text == "GET / HTTP/1.1\r\naccept: */*\r\nhost: h.example:8080\r\n\r\n")
    let head = try #require(parseRequest(fromField.text).head)
    #expect(head.hostIndex == 1)

    let both = try #require(
      translateRequest(requestFields(authority: "Example.COM", [("host", "example.com"), ("x", "1")]), endStream: true)
        .value)
    #expect(both.text == "GET / HTTP/1.1\r\nhost: Example.COM\r\nx: 1\r\n\r\n")
  }

  @Test(
    "authority errors",
    arguments: [
      (requestFields(authority: nil), H2TranslationError.Kind.missingAuthority),
      (requestFields(authority: "a.example", [("host", "b.example")]), .authorityMismatch),
      (requestFields(authority: "a.example", [("host", "a.example:80")]), .authorityMismatch),
      (requestFields(authority: nil, [("host", "a.example"), ("host", "a.example")]), .duplicateHost),
      (requestFields(authority: "a.example", [("host", "a.example"), ("host", "a.example")]), .duplicateHost),
      (requestFields(authority: ""), .invalidAuthority),
      (requestFields(authority: "user@a.example"), .invalidAuthority),
      (requestFields(authority: "a.example/x"), .invalidAuthority),
      (requestFields(authority: "a.example:port"), .invalidAuthority),
      (requestFields(authority: nil, [("host", "")]), .invalidAuthority),
      (requestFields(authority: nil, [("host", "a b")]), .invalidAuthority),
    ])
  func authorityErrors(fieldList: [(String, String)], kind: H2TranslationError.Kind) {
    let error = translateRequest(fieldList, endStream: true).failure
    #expect(error?.kind == kind)
    #expect(error?.status == 400)
  }

  @Test(
    "connection-specific fields make the request malformed",
    arguments: ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"])
  func connectionSpecific(name: String) {
    let error = translateRequest(requestFields([("x-ok", "1"), (name, "chunked")]), endStream: false).failure
    #expect(error == H2TranslationError(.connectionSpecificField, status: 400))
  }

  @Test("te: trailers is written (HTTP/2 upstreams need it); any other te is refused")
  func teField() throws {
    let ok = try #require(translateRequest(requestFields([("te", "trailers")]), endStream: true).value)
    #expect(ok.text.contains("\r\nte: trailers\r\n"))
    let head = try #require(parseRequest(ok.text).head)
    #expect(droppedNames(head.headers, ok.text) == ["te"])  // HTTP/1.1 hop-by-hop: not sent to HTTP/1.1 upstreams
    #expect(translateRequest(requestFields([("te", "TRAILERS")]), endStream: true).value != nil)
    for bad in ["gzip", "trailers, gzip", "trailers;q=1", ""] {
      #expect(translateRequest(requestFields([("te", bad)]), endStream: true).failure?.kind == .invalidTE, "\(bad)")
    }
  }

  @Test("cookie crumbs are joined with '; ' into one field where the first stood")
  func cookies() throws {
    let translated = try #require(
      translateRequest(
        requestFields([
          ("accept", "*/*"), ("cookie", "a=1"), ("x-between", "y"), ("cookie", "b=2"), ("cookie", "c=3"),
          ("x-after", "z"),
        ]),
        endStream: true
      ).value)
    #expect(
      translated.text
        == "GET / HTTP/1.1\r\nhost: example.com\r\naccept: */*\r\ncookie: a=1; b=2; c=3\r\nx-between: y\r\n"
        + "x-after: z\r\n\r\n")
    let head = try #require(parseRequest(translated.text).head)
    #expect(head.headers.filter { $0.known == .cookie }.count == 1)

    let single = try #require(translateRequest(requestFields([("cookie", "only=1")]), endStream: true).value)
    #expect(single.text.contains("\r\ncookie: only=1\r\n"))
  }

  @Test(
    "invalid field names",
    arguments: [
      ("Accept", H2TranslationError.Kind.uppercaseFieldName), ("x-Trace", .uppercaseFieldName),
      ("", .invalidFieldName), ("a b", .invalidFieldName), ("a\"b", .invalidFieldName), ("a:b", .invalidFieldName),
      ("a\r\nb", .invalidFieldName), ("caf\u{e9}", .invalidFieldName), ("(x)", .invalidFieldName),
      ("a\u{0}", .invalidFieldName),
    ])
  func invalidNames(name: String, kind: H2TranslationError.Kind) {
    let error = translateRequest(requestFields([(name, "v")]), endStream: true).failure
    #expect(error == H2TranslationError(kind, status: 400))
  }

  @Test(
    "invalid field values",
    arguments: [
      "a\r\nx-injected: 1", "a\nb", "a\rb", "a\u{0}b", " leading", "trailing ", "\t", "a\u{1}b", "a\u{7f}b",
      "a long value with enough bytes to use the eight-byte scan \u{1b} and then more",
    ])
  func invalidValues(value: String) {
    let error = translateRequest(requestFields([("x-v", value)]), endStream: true).failure
    #expect(error == H2TranslationError(.invalidFieldValue, status: 400))
  }

  @Test("values with inner whitespace, obs-text and every visible byte round-trip")
  func valueBytesRoundTrip() throws {
    var visible: [UInt8] = Array(0x21...0x7E)
    visible += [0x20, 0x09, 0x80, 0xC3, 0xA9, 0xFF, 0x41]
    let block = makeBlock(
      bytes: requestFields().map { (Array($0.0.utf8), Array($0.1.utf8)) } + [(Array("x-bytes".utf8), visible)])
    let translated = try #require(translateRequest(block, endStream: true).value)
    let bytes = translated.bytes
    let head = try #require(parseRequest(bytes).head)
    let field = try #require(head.headers.last)
    #expect(Array(bytes[field.value.start..<field.value.end]) == visible)
  }

  @Test("a failed translation leaves the buffer as it was; a buffer with unread bytes is appended to")
  func appendsAndRollsBack() throws {
    var out = IOBuffer()
    defer { out.release() }
    out.append(Array("XXPREFIX".utf8))
    out.moveReaderIndex(by: 2)
    let bad = makeBlock(requestFields([("x-ok", "1"), ("connection", "close")]))
    #expect(throws: H2TranslationError(.connectionSpecificField, status: 400)) {
      try H2RequestTranslator.writeHTTP1Head(bad, endStream: true, into: &out)
    }
    #expect(text(of: out) == "PREFIX")
    let good = makeBlock(requestFields(path: "/ok"))
    let body = try H2RequestTranslator.writeHTTP1Head(good, endStream: true, into: &out)
    #expect(body == .none)
    #expect(text(of: out) == "PREFIXGET /ok HTTP/1.1\r\nhost: example.com\r\n\r\n")
  }

  @Test("every error kind has a code, a message and a description")
  func errorDescriptions() {
    for kind in H2TranslationError.Kind.allCases {
      let error = H2TranslationError(kind, status: 400)
      #expect(error.code.utf8CodeUnitCount > 0)
      #expect(error.message.utf8CodeUnitCount > 0)
      #expect(error.description.hasPrefix("\(error.code) (400): "))
    }
  }
}
