// Internal HTTP/1.1 response heads -> HTTP/2 response blocks for the client (RFC 9113 §8.3.2, §8.2.2).
import Testing
import TracegateHTTP

/// Runs ``H2ResponseTranslator/writeInformationalBlock(_:from:into:)`` on a head parsed from `text`.
private func informationalBlock(
  _ head: ResponseHead, _ text: String, reusing block: FieldBlock = FieldBlock()
) -> Result<FieldBlock, H2TranslationError> {
  var block = block
  return Array(text.utf8).withUnsafeBytes { raw in
    do throws(H2TranslationError) {
      try H2ResponseTranslator.writeInformationalBlock(head, from: raw, into: &block)
      return .success(block)
    } catch {
      return .failure(error)
    }
  }
}

@Suite("Translation: HTTP/1.1 response to HTTP/2")
struct TranslationResponseTests {
  @Test("status first, names lower-cased, connection-specific and dropped fields left out")
  func ordinary() throws {
    let result = try #require(
      responseBlock(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive, X-Hop\r\n"
          + "Keep-Alive: timeout=5\r\nX-Hop: secret\r\nX-MiXeD: Value Kept\r\nProxy-Connection: x\r\n"
          + "Trailer: grpc-status\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"))
    #expect(
      fields(of: result.block) == [
        Field(":status", "200"), Field("content-type", "text/plain"), Field("content-length", "5"),
        Field("x-mixed", "Value Kept"), Field("set-cookie", "a=1"), Field("set-cookie", "b=2"),
      ])
    #expect(result.bodyFollows)
  }

  @Test("chunked framing: neither transfer-encoding nor the overridden content-length is sent")
  func chunked() throws {
    let result = try #require(
      responseBlock("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\nX: y\r\n\r\n"))
    #expect(fields(of: result.block) == [Field(":status", "201"), Field("x", "y")])
    #expect(result.bodyFollows)
  }

  @Test("a body read until close follows, without framing fields")
  func untilClose() throws {
    let result = try #require(responseBlock("HTTP/1.1 200 OK\r\nServer: old\r\n\r\n"))
    #expect(fields(of: result.block) == [Field(":status", "200"), Field("server", "old")])
    #expect(result.bodyFollows)
  }

  @Test("content-length 0: no body follows")
  func zeroLength() throws {
    let result = try #require(responseBlock("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    #expect(fields(of: result.block) == [Field(":status", "200"), Field("content-length", "0")])
    #expect(!result.bodyFollows)
  }

  @Test("HEAD and 304 answers keep content-length as metadata, without a body")
  func headAnd304() throws {
    let head = try #require(responseBlock("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", method: .head))
    #expect(fields(of: head.block) == [Field(":status", "200"), Field("content-length", "1234")])
    #expect(!head.bodyFollows)
    let notModified = try #require(
      responseBlock("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 77\r\n\r\n"))
    #expect(
      fields(of: notModified.block) == [Field(":status", "304"), Field("etag", "\"x\""), Field("content-length", "77")])
    #expect(!notModified.bodyFollows)
    let headChunked = try #require(
      responseBlock("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: .head))
    #expect(fields(of: headChunked.block) == [Field(":status", "200")])
    #expect(!headChunked.bodyFollows)
  }

  @Test("204 never carries content-length (RFC 9110 §8.6)")
  func noContent() throws {
    let result = try #require(responseBlock("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nX: 1\r\n\r\n"))
    #expect(fields(of: result.block) == [Field(":status", "204"), Field("x", "1")])
    #expect(!result.bodyFollows)
  }

  @Test("a repeated or list content-length is sent once, canonically, where the first stood")
  func canonicalLength() throws {
    let result = try #require(
      responseBlock("HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length: 5, 5\r\nB: 2\r\nContent-Length: 5\r\n\r\n"))
    #expect(
      fields(of: result.block) == [
        Field(":status", "200"), Field("a", "1"), Field("content-length", "5"), Field("b", "2"),
      ])
  }

  @Test("an upgrade response's Connection and Upgrade are not sent even though the parser keeps them")
  func upgradeFieldsSkipped() throws {
    let text = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX: 1\r\n\r\n"
    let head = try #require(parseResponse(text).head)
    #expect(head.upgrade)
    #expect(informationalBlock(head, text).failure == H2TranslationError(.switchingProtocols, status: 502))
    // A 200 that carries Upgrade (RFC 9110 §7.8 allows advertising it): never sent over HTTP/2.
    let ok = try #require(responseBlock("HTTP/1.1 200 OK\r\nUpgrade: h2c\r\nContent-Length: 0\r\n\r\n"))
    #expect(fields(of: ok.block) == [Field(":status", "200"), Field("content-length", "0")])
  }

  @Test("informational responses: status and fields, no content-length")
  func informational() throws {
    for (text, expected) in [
      ("HTTP/1.1 100 Continue\r\n\r\n", [Field(":status", "100")]),
      (
        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\nContent-Length: 0\r\n\r\n",
        [Field(":status", "103"), Field("link", "</style.css>; rel=preload")]
      ),
    ] {
      let head = try #require(parseResponse(text).head)
      let block = try #require(informationalBlock(head, text, reusing: makeBlock([("stale", "entry")])).value)
      #expect(fields(of: block) == expected)
    }
  }

  @Test("a reused block is emptied first")
  func reusedBlock() throws {
    let text = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\n"
    let head = try #require(parseResponse(text).head)
    var block = makeBlock([(":status", "200"), ("x", "old")])
    _ = Array(text.utf8).withUnsafeBytes { H2ResponseTranslator.writeHeaderBlock(head, from: $0, into: &block) }
    #expect(fields(of: block) == [Field(":status", "404"), Field("content-length", "3")])
  }
}
