// HTTP/2 upstreams: HTTP/1.1 requests -> HTTP/2 request blocks, HTTP/2 response blocks -> HTTP/1.1 heads.
import Testing
import TracegateHTTP

@Suite("Translation: HTTP/1.1 request to an HTTP/2 upstream")
struct TranslationUpstreamRequestTests {
  @Test("pseudo-header fields first, Host becomes :authority, connection-specific fields left out")
  func ordinary() throws {
    let result = try #require(
      upstreamRequestBlock(
        "GET /p?q=1 HTTP/1.1\r\nHost: api.example:8443\r\nAccept: */*\r\nConnection: keep-alive, X-Hop\r\n"
          + "X-Hop: 1\r\nKeep-Alive: 5\r\nProxy-Connection: x\r\nTE: trailers\r\nCookie: a=1; b=2\r\n"
          + "X-MiXeD: Value\r\n\r\n")?.value)
    #expect(
      fields(of: result.block) == [
        Field(":method", "GET"), Field(":scheme", "https"), Field(":authority", "api.example:8443"),
        Field(":path", "/p?q=1"), Field("accept", "*/*"), Field("te", "trailers"), Field("cookie", "a=1; b=2"),
        Field("x-mixed", "Value"),
      ])
    #expect(!result.bodyFollows)
  }

  @Test("the scheme parameter becomes :scheme")
  func scheme() throws {
    let result = try #require(upstreamRequestBlock("GET / HTTP/1.1\r\nHost: a\r\n\r\n", scheme: .http)?.value)
    #expect(fields(of: result.block).prefix(2) == [Field(":method", "GET"), Field(":scheme", "http")])
  }

  @Test("te is sent only as exactly 'trailers'")
  func teValues() throws {
    for (value, sent) in [("trailers", true), ("Trailers", true), ("gzip", false), ("trailers, deflate", false)] {
      let result = try #require(upstreamRequestBlock("GET / HTTP/1.1\r\nHost: a\r\nTE: \(value)\r\n\r\n")?.value)
      #expect(fields(of: result.block).contains(Field("te", "trailers")) == sent, "\(value)")
      #expect(fields(of: result.block).filter { $0.name == "te" }.count <= 1)
    }
  }

  @Test("absolute-form: :authority and :path come from the target, Host is ignored (RFC 9112 §3.2.2)")
  func absoluteForm() throws {
    for (target, authority, path) in [
      ("http://Other.example:8080/x/y?z=1", "Other.example:8080", "/x/y?z=1"),
      ("https://a.example", "a.example", "/"),
      ("http://a.example?q=1", "a.example", "/?q=1"),
      ("HTTP://[::1]:81/v6", "[::1]:81", "/v6"),
    ] {
      let result = try #require(upstreamRequestBlock("GET \(target) HTTP/1.1\r\nHost: ignored.example\r\n\r\n")?.value)
      #expect(
        fields(of: result.block) == [
          Field(":method", "GET"), Field(":scheme", "https"), Field(":authority", authority), Field(":path", path),
        ], "\(target)")
    }
  }

  @Test("absolute-form authorities that are not host[:port] are refused with 400")
  func badAbsoluteAuthority() {
    for target in ["http://user@a.example/", "http://user:pw@a.example/x"] {
      let error = upstreamRequestBlock("GET \(target) HTTP/1.1\r\nHost: a.example\r\n\r\n")?.failure
      #expect(error == H2TranslationError(.invalidAuthority, status: 400), "\(target)")
    }
  }

  @Test("OPTIONS * keeps the asterisk")
  func asterisk() throws {
    let result = try #require(upstreamRequestBlock("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")?.value)
    #expect(fields(of: result.block).last == Field(":path", "*"))
  }

  @Test("CONNECT is refused with 501")
  func connect() {
    let error = upstreamRequestBlock("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n")?.failure
    #expect(error == H2TranslationError(.connectNotSupported, status: 501))
  }

  @Test("HTTP/1.0 without Host, or an empty Host: no :authority")
  func noAuthority() throws {
    let noHost = try #require(upstreamRequestBlock("GET /x HTTP/1.0\r\n\r\n")?.value)
    #expect(
      fields(of: noHost.block) == [Field(":method", "GET"), Field(":scheme", "https"), Field(":path", "/x")])
    let emptyHost = try #require(upstreamRequestBlock("GET /x HTTP/1.1\r\nHost:\r\n\r\n")?.value)
    #expect(!fields(of: emptyHost.block).contains { $0.name == ":authority" || $0.name == "host" })
  }

  @Test("content-length framing: sent once, canonically; the body follows unless it is empty")
  func contentLength() throws {
    let post = try #require(
      upstreamRequestBlock("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\nContent-Type: x\r\n\r\n")?.value)
    #expect(fields(of: post.block).dropFirst(4) == [Field("content-length", "5"), Field("content-type", "x")])
    #expect(post.bodyFollows)
    let empty = try #require(upstreamRequestBlock("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")?.value)
    #expect(fields(of: empty.block).dropFirst(4) == [Field("content-length", "0")])
    #expect(!empty.bodyFollows)
  }

  @Test("chunked framing: no transfer-encoding is sent and a body follows")
  func chunked() throws {
    let result = try #require(
      upstreamRequestBlock("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nX: 1\r\n\r\n")?.value)
    #expect(fields(of: result.block).dropFirst(4) == [Field("x", "1")])
    #expect(result.bodyFollows)
    let respelled = try #require(
      upstreamRequestBlock("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n")?.value)
    #expect(respelled.block.count == 4)
  }

  @Test("transfer codings besides chunked cannot be carried: 501")
  func otherCodings() {
    let error = upstreamRequestBlock("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")?.failure
    #expect(error == H2TranslationError(.unsupportedTransferCoding, status: 501))
  }

  @Test("an upgrade request's Connection and Upgrade are not sent")
  func upgrade() throws {
    let result = try #require(
      upstreamRequestBlock(
        "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Key: k\r\n\r\n")?.value)
    #expect(fields(of: result.block).dropFirst(4) == [Field("sec-websocket-key", "k")])
  }

  @Test("fields the exchange code marked drop are not sent")
  func callerDrops() throws {
    let text = "GET / HTTP/1.1\r\nHost: a\r\nX-Internal: secret\r\nX-Public: ok\r\n\r\n"
    var head = try #require(parseRequest(text).head)
    head.headers[1].drop = true
    var block = FieldBlock()
    let follows: Bool? = Array(text.utf8).withUnsafeBytes { raw in
      try? H2UpstreamRequestTranslator.writeHeaderBlock(head, from: raw, scheme: .https, into: &block)
    }
    #expect(follows == false)
    #expect(fields(of: block).dropFirst(4) == [Field("x-public", "ok")])
  }

  @Test("HTTP/1.1 -> HTTP/2 -> HTTP/1.1 keeps method, target and fields")
  func roundTripThroughBothDirections() throws {
    let text =
      "PATCH /items/7?x=y HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\n"
      + "Content-Length: 12\r\nCookie: s=1\r\nTE: trailers\r\nX-Trace: abc\r\n\r\n"
    let upstream = try #require(upstreamRequestBlock(text)?.value)
    let back = try #require(translateRequest(upstream.block, endStream: false).value)
    #expect(back.body == .contentLength(12))
    let head = try #require(parseRequest(back.text).head)
    #expect(slice(head.methodRange, back.text) == "PATCH")
    #expect(slice(head.target, back.text) == "/items/7?x=y")
    #expect(
      allFields(head.headers, back.text) == [
        Field("host", "shop.example"), Field("content-type", "application/json"), Field("content-length", "12"),
        Field("cookie", "s=1"), Field("te", "trailers"), Field("x-trace", "abc"),
      ])
  }
}

@Suite("Translation: HTTP/2 upstream response to HTTP/1.1")
struct TranslationUpstreamResponseTests {
  @Test("status-line with the reason-phrase, fields as received, content-length framing")
  func ordinary() throws {
    let result = try #require(
      translateResponse(
        [(":status", "200"), ("content-type", "text/html"), ("content-length", "10"), ("set-cookie", "a=1"),
         ("set-cookie", "b=2")],
        endStream: false
      ).value)
    #expect(
      result.text
        == "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 10\r\nset-cookie: a=1\r\n"
        + "set-cookie: b=2\r\n\r\n")
    #expect(result.body == TranslatedResponseHead(status: 200, body: .contentLength(10)))
    let head = try #require(parseResponse(result.text).head)
    #expect(head.statusCode == 200)
    #expect(slice(head.reason, result.text) == "OK")
    #expect(head.framing == .contentLength(10))
    #expect(allFields(head.headers, result.text).count == 4)
  }

  @Test("no content-length: chunked while the stream continues, content-length 0 when it ended")
  func framing() throws {
    let open = try #require(translateResponse([(":status", "404"), ("x", "1")], endStream: false).value)
    #expect(open.text == "HTTP/1.1 404 Not Found\r\nx: 1\r\ntransfer-encoding: chunked\r\n\r\n")
    #expect(open.body.body == .chunked)
    #expect(parseResponse(open.text).head?.framing == .chunked)

    let ended = try #require(translateResponse([(":status", "500")], endStream: true).value)
    #expect(ended.text == "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")
    #expect(ended.body.body == .contentLength(0))
    #expect(parseResponse(ended.text).head?.framing == .contentLength(0))
  }

  @Test("bodiless answers get no framing field; HEAD and 304 keep content-length, 204 drops it")
  func bodiless() throws {
    let head = try #require(
      translateResponse([(":status", "200"), ("content-length", "1234")], endStream: true, method: .head).value)
    #expect(head.text == "HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n")
    #expect(head.body.body == .none)
    #expect(parseResponse(head.text, method: .head).head?.framing == BodyFraming.none)

    let headBare = try #require(translateResponse([(":status", "200")], endStream: true, method: .head).value)
    #expect(headBare.text == "HTTP/1.1 200 OK\r\n\r\n")

    let notModified = try #require(
      translateResponse([(":status", "304"), ("etag", "\"v\""), ("content-length", "99")], endStream: true).value)
    #expect(notModified.text == "HTTP/1.1 304 Not Modified\r\netag: \"v\"\r\ncontent-length: 99\r\n\r\n")
    #expect(notModified.body.body == .none)

    let noContent = try #require(
      translateResponse([(":status", "204"), ("content-length", "0"), ("x", "1")], endStream: true).value)
    #expect(noContent.text == "HTTP/1.1 204 No Content\r\nx: 1\r\n\r\n")
    #expect(noContent.body.body == .none)
  }

  @Test("informational blocks become informational heads without framing")
  func informational() throws {
    let cont = try #require(translateResponse([(":status", "100")], endStream: false).value)
    #expect(cont.text == "HTTP/1.1 100 Continue\r\n\r\n")
    #expect(cont.body.isInformational)
    #expect(cont.body.body == .none)
    let hints = try #require(
      translateResponse([(":status", "103"), ("link", "</a.css>; rel=preload"), ("content-length", "0")],
                        endStream: false).value)
    #expect(hints.text == "HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n")
    let head = try #require(parseResponse(hints.text).head)
    #expect(head.statusCode == 103)
    #expect(head.framing == .none)
  }

  @Test("repeated equal content-length values become one field where the first stood")
  func repeatedLength() throws {
    let result = try #require(
      translateResponse(
        [(":status", "200"), ("content-length", "05"), ("x", "1"), ("content-length", "5, 5")], endStream: false
      ).value)
    #expect(result.text == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx: 1\r\n\r\n")
    #expect(result.body.body == .contentLength(5))
  }

  @Test("a failed translation leaves the buffer as it was")
  func rollsBack() {
    var out = IOBuffer()
    defer { out.release() }
    out.append(Array("KEEP".utf8))
    #expect(throws: H2TranslationError(.connectionSpecificField, status: 502)) {
      try H2UpstreamResponseTranslator.writeHTTP1Head(
        makeBlock([(":status", "200"), ("x", "1"), ("upgrade", "h2c")]), endStream: false, requestMethod: .get,
        into: &out)
    }
    #expect(text(of: out) == "KEEP")
  }

  @Test("unregistered codes get an empty reason-phrase that still parses")
  func unknownReason() throws {
    let result = try #require(translateResponse([(":status", "299"), ("content-length", "0")], endStream: true).value)
    #expect(result.text == "HTTP/1.1 299 \r\ncontent-length: 0\r\n\r\n")
    let head = try #require(parseResponse(result.text).head)
    #expect(head.statusCode == 299)
    #expect(head.reason.count == 0)
  }

  static let errors: [([(String, String)], Bool, H2TranslationError.Kind)] = [
    ([("content-type", "x")], false, .missingStatus),
    ([], true, .missingStatus),
    ([(":status", "20")], false, .invalidStatus),
    ([(":status", "2000")], false, .invalidStatus),
    ([(":status", "abc")], false, .invalidStatus),
    ([(":status", "099")], false, .invalidStatus),
    ([(":status", "600")], false, .invalidStatus),
    ([(":status", " 200")], false, .invalidStatus),
    ([(":status", "")], false, .invalidStatus),
    ([(":status", "101")], false, .switchingProtocols),
    ([(":status", "100")], true, .informationalWithEndStream),
    ([(":status", "200"), (":status", "200")], false, .duplicatePseudoHeader),
    ([(":status", "200"), (":path", "/")], false, .unknownPseudoHeader),
    ([(":method", "GET"), (":status", "200")], false, .unknownPseudoHeader),
    ([(":status", "200"), ("x", "1"), (":status", "200")], false, .pseudoHeaderAfterRegularField),
    ([("x", "1"), (":status", "200")], false, .missingStatus),
    ([(":status", "200"), ("connection", "close")], false, .connectionSpecificField),
    ([(":status", "200"), ("transfer-encoding", "chunked")], false, .connectionSpecificField),
    ([(":status", "200"), ("Content-Type", "x")], false, .uppercaseFieldName),
    ([(":status", "200"), ("x y", "1")], false, .invalidFieldName),
    ([(":status", "200"), ("x", "a\r\nset-cookie: evil")], false, .invalidFieldValue),
    ([(":status", "200"), ("content-length", "x")], false, .invalidContentLength),
    ([(":status", "200"), ("content-length", "1"), ("content-length", "2")], false, .conflictingContentLength),
    ([(":status", "200"), ("content-length", "5")], true, .contentLengthWithEndStream),
  ]

  @Test("malformed response blocks are refused with 502", arguments: errors)
  func malformed(fieldList: [(String, String)], endStream: Bool, kind: H2TranslationError.Kind) {
    #expect(translateResponse(fieldList, endStream: endStream).failure == H2TranslationError(kind, status: 502))
  }
}
