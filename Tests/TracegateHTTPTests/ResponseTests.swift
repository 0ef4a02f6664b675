// Status line (RFC 9112 §4) and response framing (RFC 9112 §6.3).
import Testing
import TracegateHTTP

@Suite("Responses")
struct ResponseTests {
  @Test("status line parses; reason may be empty or missing its SP")
  func statusLine() throws {
    let text = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    let head = try #require(parseResponse(text).head)
    #expect(head.statusCode == 404)
    #expect(slice(head.reason, text) == "Not Found")
    #expect(head.version == .http1_1)
    #expect(head.headLength == text.utf8.count)
    #expect(parseResponse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").head?.reason.count == 0)
    #expect(parseResponse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").head?.statusCode == 200)
    #expect(parseResponse("HTTP/1.0 200 OK\r\n\r\n").head?.version == .http1_0)
  }

  @Test(
    "malformed status lines",
    arguments: [
      ("HTTP/1.1 99 OK", HTTPParseError.Kind.malformedStatusLine), ("HTTP/1.1 600 X", .malformedStatusLine),
      ("HTTP/1.1 2000 OK", .malformedStatusLine), ("HTTP/1.1  200 OK", .malformedStatusLine),
      ("HTTP/1.1 20a OK", .malformedStatusLine), ("http/1.1 200 OK", .malformedStatusLine),
      ("HTTP/1.1 200 O\u{1}K", .malformedStatusLine), ("ICY 200 OK", .malformedStatusLine),
      ("HTTP/2.0 200 OK", .unsupportedVersion), ("HTTP/1.1 200 OK\n", .bareLineFeed), ("HTTP/1.1 200\n", .bareLineFeed),
      ("HTTP/1.1 099 X", .malformedStatusLine), ("HTTP/1.1 200 OK\rX", .malformedStatusLine),
    ])
  func malformed(line: String, kind: HTTPParseError.Kind) {
    #expect(parseResponse(line + "\r\nContent-Length: 0\r\n\r\n").error == kind)
  }

  @Test(
    "framing matrix (RFC 9112 §6.3)",
    arguments: [
      (HTTPMethod.head, "200", "Content-Length: 10\r\n", BodyFraming.none),
      (.head, "200", "Transfer-Encoding: chunked\r\n", .none),
      (.get, "100", "", .none), (.get, "101", "", .none), (.get, "103", "Link: x\r\n", .none),
      (.get, "204", "Content-Length: 10\r\n", .none), (.get, "304", "Content-Length: 10\r\n", .none),
      (.connect, "200", "", .none), (.connect, "299", "Content-Length: 5\r\n", .none),
      (.connect, "407", "Content-Length: 5\r\n", .contentLength(5)),
      (.get, "200", "Content-Length: 5\r\n", .contentLength(5)),
      (.post, "500", "Content-Length: 0\r\n", .contentLength(0)),
      (.get, "200", "Transfer-Encoding: chunked\r\n", .chunked),
      (.get, "200", "Transfer-Encoding: gzip, chunked\r\n", .chunked),
      (.get, "200", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", .chunked),
      (.get, "200", "Transfer-Encoding: gzip\r\n", .untilClose),
      (.get, "200", "Transfer-Encoding: chunked, gzip\r\n", .untilClose),
      (.get, "200", "Transfer-Encoding: chunked, chunked\r\n", .untilClose),
      (.get, "200", "", .untilClose), (.get, "404", "Server: x\r\n", .untilClose),
    ])
  func framing(method: HTTPMethod, status: String, fields: String, framing: BodyFraming) throws {
    let head = try #require(parseResponse("HTTP/1.1 \(status) X\r\n\(fields)\r\n", method: method).head)
    #expect(head.framing == framing)
  }

  @Test("Transfer-Encoding wins over Content-Length, which is dropped")
  func teWins() throws {
    let text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
    let head = try #require(parseResponse(text).head)
    #expect(head.framing == .chunked)
    #expect(droppedNames(head.headers, text) == ["Content-Length"])
    #expect(head.contentLength == nil)
    // Even an invalid Content-Length is irrelevant then.
    #expect(
      parseResponse("HTTP/1.1 200 OK\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n").head?.framing
        == .chunked)
  }

  @Test("HTTP/1.0 response with Transfer-Encoding reads until close and drops both framing fields")
  func http10TransferEncoding() throws {
    let text = "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
    let head = try #require(parseResponse(text).head)
    #expect(head.framing == .untilClose)
    #expect(!head.keepAlive)
    #expect(droppedNames(head.headers, text) == ["Transfer-Encoding", "Content-Length"])
  }

  @Test("invalid or conflicting Content-Length in a response is an error (proxy answers 502)")
  func invalidLength() {
    #expect(parseResponse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").error == .invalidContentLength)
    #expect(
      parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").error
        == .conflictingContentLength)
    let head = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\n").head
    #expect(head?.framing == .contentLength(3))
    #expect(head?.rewritesContentLength == true)
  }

  @Test("HEAD and 304 responses keep Content-Length as metadata")
  func lengthMetadata() {
    #expect(parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", method: .head).head?.contentLength == 42)
    #expect(parseResponse("HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\n\r\n").head?.contentLength == 42)
  }

  @Test("keep-alive of responses")
  func keepAlive() {
    #expect(parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").head?.keepAlive == true)
    #expect(parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").head?.keepAlive == false)
    #expect(parseResponse("HTTP/1.1 200 OK\r\n\r\n").head?.keepAlive == false)  // until close
    #expect(parseResponse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").head?.keepAlive == false)
    #expect(
      parseResponse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n").head?.keepAlive == true)
    #expect(parseResponse("HTTP/1.1 204 No Content\r\n\r\n").head?.keepAlive == true)
  }

  @Test("response header limits")
  func limits() {
    let limits = HeadLimits(maxHeadBytes: 40, maxHeaderCount: 1)
    #expect(parseResponse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits).error == .tooManyHeaders)
    #expect(
      parseResponse("HTTP/1.1 200 OK\r\nA: 0123456789012345678901234\r\n\r\n", limits: limits).error == .headersTooLarge
    )
    #expect(parseResponse("HTTP/1.1 200 OK\r\nA: 1\r\n", limits: limits).isIncomplete)
  }

  @Test("101 upgrade keeps Connection and Upgrade")
  func upgrade() throws {
    let text = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nKeep-Alive: 1\r\n\r\n"
    let head = try #require(parseResponse(text).head)
    #expect(head.upgrade)
    #expect(head.framing == BodyFraming.none)
    #expect(keptFields(head.headers, text) == ["Connection: Upgrade", "Upgrade: websocket"])
    let ok = try #require(
      parseResponse("HTTP/1.1 200 OK\r\nConnection: upgrade\r\nUpgrade: h2\r\nContent-Length: 0\r\n\r\n").head)
    #expect(!ok.upgrade)
    #expect(ok.headers.filter { $0.drop }.count == 2)
  }
}
