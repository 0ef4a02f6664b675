// Field-line rules (RFC 9112 §5, RFC 9110 §5): names, values, obs-fold, bare LF, limits, classification.
import Testing
import TracegateHTTP

@Suite("Header fields")
struct HeaderFieldTests {
  @Test("values are trimmed of OWS; lines include their CRLF")
  func trimming() throws {
    let text = "GET / HTTP/1.1\r\nHost:a\r\nX-A: \t spaced  value \t \r\nX-Empty:\r\nX-Blank:   \r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(head.headers.count == 4)
    #expect(slice(head.headers[0].value, text) == "a")
    #expect(slice(head.headers[1].name, text) == "X-A")
    #expect(slice(head.headers[1].value, text) == "spaced  value")
    #expect(slice(head.headers[1].line, text) == "X-A: \t spaced  value \t \r\n")
    #expect(head.headers[2].value.count == 0)
    #expect(head.headers[3].value.count == 0)
  }

  @Test("obs-text and HTAB are allowed in values")
  func obsText() throws {
    var bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf".utf8)
    bytes += [0xC3, 0xA9, 0x09, 0x80, 0xFF]
    bytes += Array(" end\r\n\r\n".utf8)
    let head = try #require(parseRequest(bytes).head)
    #expect(head.headers[1].value.count == 12)
  }

  @Test("control bytes in values are rejected", arguments: [UInt8(0x00), 0x01, 0x0B, 0x0C, 0x1F, 0x7F])
  func controlBytes(byte: UInt8) {
    var bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: b".utf8)
    bytes.append(byte)
    bytes += Array("c\r\n\r\n".utf8)
    #expect(parseRequest(bytes).error == .invalidHeaderValue)
  }

  @Test(
    "smuggling-shaped and malformed field lines",
    arguments: [
      ("Transfer-Encoding : chunked\r\n", HTTPParseError.Kind.invalidHeaderName),
      ("Content-Length\t: 5\r\n", .invalidHeaderName), (": empty\r\n", .invalidHeaderName),
      ("X A: b\r\n", .invalidHeaderName), ("X(A): b\r\n", .invalidHeaderName), ("NoColon\r\n", .invalidHeaderName),
      ("X-A: b\r c\r\n", .invalidHeaderValue), ("X-A: b\rc\r\n", .invalidHeaderValue),
      (" X-A: b\r\n", .obsFold), ("X-A: b\r\n c\r\n", .obsFold), ("X-A: b\r\n\tc\r\n", .obsFold),
      ("X-A: b\n", .bareLineFeed), ("X-A: b\nX-B: c\r\n", .bareLineFeed), ("X-A\n", .bareLineFeed),
      ("X-A: b\r\n\n", .bareLineFeed), ("\rX", .invalidHeaderName),
    ])
  func badLines(lines: String, kind: HTTPParseError.Kind) {
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\n" + lines + "\r\n").error == kind)
  }

  @Test("NUL inside a field value")
  func nulInValue() {
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n").error == .invalidHeaderValue)
  }

  @Test("Host is required on HTTP/1.1 and must be unique")
  func host() {
    #expect(parseRequest("GET / HTTP/1.1\r\nX: y\r\n\r\n").error == .missingHost)
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n").error == .duplicateHost)
    #expect(parseRequest("GET / HTTP/1.0\r\nHost: a\r\nHOST: a\r\n\r\n").error == .duplicateHost)
    #expect(parseRequest("GET / HTTP/1.1\r\nX: y\r\nHOST: \r\n\r\n").head?.hostIndex == 1)
  }

  @Test(
    "Host values that are uri-host [\":\" port]",
    arguments: [
      "example.com", "example.com:8080", "[::1]:443", "[v1.x]", "a-b_c.d~e", "127.0.0.1", "xn--d-1ga.de", "h:",
    ])
  func validHosts(host: String) {
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").head != nil)
  }

  @Test(
    "Host values that are not",
    arguments: ["a/b", "a@b", "a b", "a:b", "a:123456", ":80", "[::1", "[]", "a\"b", "a\\b", "a:80:90", "[::1]x", "é"])
  func invalidHosts(host: String) {
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").error == .invalidHost)
  }

  @Test("header count limit: exactly the limit passes, one more is 431")
  func countLimit() {
    let limits = HeadLimits(maxHeaderCount: 3)
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits).head != nil)
    #expect(
      parseRequest("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits).error == .tooManyHeaders
    )
    // Reported as soon as the extra line starts, before the head is complete.
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC", limits: limits).error == .tooManyHeaders)
    #expect(HTTPParseError(.tooManyHeaders).status == 431)
  }

  @Test("head size limit: a head ending exactly at the limit passes, any longer is 431")
  func sizeLimit() {
    let text = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: 0123456789\r\n\r\n"
    let exact = HeadLimits(maxHeadBytes: text.utf8.count)
    #expect(parseRequest(text, limits: exact).head != nil)
    let smaller = HeadLimits(maxHeadBytes: text.utf8.count - 1)
    #expect(parseRequest(text, limits: smaller).error == .headersTooLarge)
    // An incomplete head that already fills the limit fails without waiting for more bytes.
    let partial = String(text.dropLast(2))
    #expect(parseRequest(partial, limits: HeadLimits(maxHeadBytes: partial.utf8.count)).error == .headersTooLarge)
    #expect(parseRequest(partial, limits: HeadLimits(maxHeadBytes: partial.utf8.count + 1)).isIncomplete)
    #expect(HTTPParseError(.headersTooLarge).status == 431)
  }

  @Test(
    "well-known names are classified case-insensitively",
    arguments: [
      ("host", HeaderName.host), ("Content-Length", .contentLength), ("TRANSFER-ENCODING", .transferEncoding),
      ("Connection", .connection), ("Keep-Alive", .keepAlive), ("Proxy-Connection", .proxyConnection), ("TE", .te),
      ("Trailer", .trailer), ("Upgrade", .upgrade), ("Expect", .expect), ("Via", .via), ("Forwarded", .forwarded),
      ("X-Forwarded-For", .xForwardedFor), ("X-Forwarded-Proto", .xForwardedProto),
      ("X-Forwarded-Host", .xForwardedHost), ("traceparent", .traceparent), ("TraceState", .tracestate),
      ("baggage", .baggage), ("Cookie", .cookie), ("Set-Cookie", .setCookie), ("Authorization", .authorization),
      ("Proxy-Authorization", .proxyAuthorization), ("Proxy-Authenticate", .proxyAuthenticate),
      ("User-Agent", .userAgent), ("Retry-After", .retryAfter), ("Idempotency-Key", .idempotencyKey),
      ("HTTP2-Settings", .http2Settings), ("Date", .date), ("Server", .server),
      ("Hosts", .other), ("Content-Lengths", .other), ("X-Host", .other), ("Tf", .other), ("Content_Length", .other),
      ("Content-Lengt^", .other), ("Dat_", .other),
    ])
  func classification(name: String, known: HeaderName) throws {
    let text = "HTTP/1.1 200 OK\r\n\(name): 0\r\n\r\n"  // "0" is valid for every known field
    let head = try #require(parseResponse(text).head)
    #expect(head.headers[0].known == known)
    #expect(head.firstIndex(of: known) == 0)
  }

  @Test("firstIndex finds the first field of a kind, nil when absent")
  func firstIndex() throws {
    let head = try #require(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nCookie: 1\r\nCookie: 2\r\n\r\n").head)
    #expect(head.firstIndex(of: .cookie) == 1)
    #expect(head.firstIndex(of: .traceparent) == nil)
  }

  @Test("the headers array is reused: parsing again keeps its capacity")
  func reuse() throws {
    var head = RequestHead(headerCapacity: 16)
    let first = Array("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n".utf8)
    let second = Array("GET /x HTTP/1.1\r\nHost: b\r\n\r\n".utf8)
    let capacity = head.headers.capacity
    _ = try first.withUnsafeBytes { raw throws(HTTPParseError) in
      try HeadParser.parseRequest(raw, limits: HeadLimits(), into: &head)
    }
    #expect(head.headers.count == 3)
    _ = try second.withUnsafeBytes { raw throws(HTTPParseError) in
      try HeadParser.parseRequest(raw, limits: HeadLimits(), into: &head)
    }
    #expect(head.headers.count == 1)
    #expect(head.headers.capacity == capacity)
    #expect(slice(head.target, second) == "/x")
  }
}
