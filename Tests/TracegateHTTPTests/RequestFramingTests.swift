// Request framing (RFC 9112 §6): Content-Length, Transfer-Encoding and the smuggling shapes.
import Testing
import TracegateHTTP

@Suite("Request framing")
struct RequestFramingTests {
  private func request(_ fields: String, version: String = "HTTP/1.1") -> Outcome<RequestHead> {
    parseRequest("POST /p \(version)\r\nHost: a\r\n\(fields)\r\n")
  }

  @Test("no framing fields: no body")
  func noBody() {
    #expect(request("").head?.framing == BodyFraming.none)
    #expect(request("X: 1\r\n").head?.contentLength == nil)
  }

  @Test("Content-Length", arguments: [("0", UInt64(0)), ("5", 5), ("007", 7), ("4611686018427387904", 1 << 62)])
  func contentLength(value: String, length: UInt64) throws {
    let head = try #require(request("Content-Length: \(value)\r\n").head)
    #expect(head.framing == .contentLength(length))
    #expect(head.contentLength == length)
    #expect(!head.rewritesContentLength)
    #expect(head.headers.allSatisfy { !$0.drop })
  }

  @Test(
    "invalid Content-Length values",
    arguments: [
      "", "abc", "-1", "+5", "0x5", "5 5", "5,", ",5", "5,,5", "1.0", "4611686018427387905",
      "18446744073709551616", "99999999999999999999999", "5\u{B}",
    ])
  func invalidContentLength(value: String) {
    #expect(
      request("Content-Length: \(value)\r\n").error == .invalidContentLength
        || request("Content-Length: \(value)\r\n").error == .invalidHeaderValue)
  }

  @Test("non-digit Content-Length is invalid_content_length specifically")
  func nonDigits() {
    #expect(request("Content-Length: 12a\r\n").error == .invalidContentLength)
    #expect(request("Content-Length:\r\n").error == .invalidContentLength)
  }

  @Test("same value as a list or repeated is accepted and normalised")
  func sameValueList() throws {
    let list = try #require(request("Content-Length: 5, 5\r\n").head)
    #expect(list.framing == .contentLength(5))
    #expect(list.rewritesContentLength)
    #expect(list.headers.filter { $0.known == .contentLength }.allSatisfy { $0.drop })
    let repeated = try #require(request("Content-Length: 5\r\ncontent-length: 5,5\r\n").head)
    #expect(repeated.framing == .contentLength(5))
    #expect(repeated.rewritesContentLength)
  }

  @Test(
    "differing Content-Length values conflict",
    arguments: [
      "Content-Length: 5, 6\r\n", "Content-Length: 5\r\nContent-Length: 6\r\n",
      "Content-Length: 5\r\nContent-Length: 5, 6\r\n", "Content-Length: 0\r\nContent-Length: 00, 1\r\n",
    ])
  func conflicting(fields: String) {
    #expect(request(fields).error == .conflictingContentLength)
  }

  @Test("chunked as the only or final coding")
  func chunked() throws {
    for value in [
      "chunked", "CHUNKED", "gzip, chunked", "gzip,chunked", "deflate ,  chunked", "chunked,",
    ] {
      let head = try #require(request("Transfer-Encoding: \(value)\r\n").head, "\(value)")
      #expect(head.framing == .chunked, "\(value)")
    }
    // Several fields form one list (RFC 9110 §5.3).
    #expect(request("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n").head?.framing == .chunked)
  }

  @Test(
    "Transfer-Encoding is not dropped as hop-by-hop: a canonical list is kept verbatim",
    arguments: ["chunked", "gzip, chunked", "x, br, chunked"])
  func transferEncodingKept(value: String) throws {
    let text = "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  \(value) \r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(!head.rewritesTransferEncoding)
    #expect(keptFields(head.headers, text) == ["Host: a", "Transfer-Encoding: \(value)"])
  }

  @Test(
    "unusual spellings of chunked are marked for canonical rewriting",
    arguments: [
      "gzip,chunked", "Chunked", "chunked,", "gzip\r\nTransfer-Encoding: chunked", ", chunked", "gzip ,chunked",
    ])
  func transferEncodingRewritten(value: String) throws {
    let text = "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(head.framing == .chunked)
    #expect(head.rewritesTransferEncoding)
    #expect(head.headers.filter { $0.known == .transferEncoding }.allSatisfy { $0.drop })
  }

  @Test(
    "unsupported transfer codings are 501",
    arguments: [
      "chunked, identity", "chunked, gzip", "gzip", "identity", "chunked, chunked", "chunked;x=1", "",
      "\"chunked\"", "chunked\u{1}", "ch unked",
      // Parameters are refused: none is registered, and quoted strings can hide commas (fuzzer find).
      "gzip;q=1, chunked", "br;x=\"a,b\", chunked", "gzi;na\u{ff}\u{ff}, gzi;ame=\"val\u{f5}e\", CHUNKED",
    ])
  func unsupportedCodings(value: String) {
    let error = request("Transfer-Encoding: \(value)\r\n").error
    #expect(error == .unsupportedTransferEncoding || (value.contains("\u{1}") && error == .invalidHeaderValue))
  }

  @Test("chunked twice across fields is rejected")
  func chunkedTwiceAcrossFields() {
    #expect(
      request("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n").error == .unsupportedTransferEncoding)
    #expect(HTTPParseError(.unsupportedTransferEncoding).status == 501)
  }

  @Test("Content-Length with Transfer-Encoding is rejected whatever the order")
  func clWithTE() {
    #expect(request("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n").error == .contentLengthWithTransferEncoding)
    #expect(request("Transfer-Encoding: chunked\r\nContent-Length: 6\r\n").error == .contentLengthWithTransferEncoding)
    #expect(request("Transfer-Encoding: gzip\r\nContent-Length: x\r\n").error == .contentLengthWithTransferEncoding)
    #expect(HTTPParseError(.contentLengthWithTransferEncoding).status == 400)
  }

  @Test("HTTP/1.0 with Transfer-Encoding is rejected (RFC 9112 §6.1)")
  func http10TransferEncoding() {
    #expect(request("Transfer-Encoding: chunked\r\n", version: "HTTP/1.0").error == .unsupportedTransferEncoding)
  }

  @Test("Expect: 100-continue on HTTP/1.1 only")
  func expectContinue() {
    #expect(request("Expect: 100-Continue\r\nContent-Length: 1\r\n").head?.expectsContinue == true)
    #expect(request("Expect: 100-continue\r\n", version: "HTTP/1.0").head?.expectsContinue == false)
    #expect(request("Expect: something\r\n").head?.expectsContinue == false)
    #expect(request("").head?.expectsContinue == false)
  }

  @Test("keep-alive defaults and Connection options")
  func keepAlive() {
    #expect(request("").head?.keepAlive == true)
    #expect(request("Connection: close\r\n").head?.keepAlive == false)
    #expect(request("Connection: keep-alive, CLOSE\r\n").head?.keepAlive == false)
    #expect(request("", version: "HTTP/1.0").head?.keepAlive == false)
    #expect(request("Connection: Keep-Alive\r\n", version: "HTTP/1.0").head?.keepAlive == true)
    #expect(request("Connection: keep-alive\r\nConnection: close\r\n", version: "HTTP/1.0").head?.keepAlive == false)
  }
}
