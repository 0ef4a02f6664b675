// Request-line rules (RFC 9112 §3): method, target forms, version, leading empty lines, URI limit.
import Testing
import TracegateHTTP

@Suite("Request line")
struct RequestLineTests {
  @Test("typical request parses into offsets")
  func typical() throws {
    let text = "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(head.method == .get)
    #expect(slice(head.methodRange, text) == "GET")
    #expect(slice(head.target, text) == "/index.html?q=1")
    #expect(head.version == .http1_1)
    #expect(head.headLength == text.utf8.count)
    #expect(head.framing == .none)
    #expect(head.keepAlive)
    #expect(head.hostIndex == 0)
    #expect(head.headers.count == 2)
  }

  @Test(
    "methods are classified case-sensitively",
    arguments: [
      ("GET", HTTPMethod.get), ("HEAD", .head), ("POST", .post), ("PUT", .put), ("DELETE", .delete),
      ("OPTIONS", .options), ("TRACE", .trace), ("PATCH", .patch), ("PROPFIND", .other), ("get", .other),
      ("GETS", .other), ("M-SEARCH", .other),
    ])
  func methods(name: String, method: HTTPMethod) throws {
    let text = "\(name) / HTTP/1.1\r\nHost: a\r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(head.method == method)
    #expect(slice(head.methodRange, text) == name)
  }

  @Test("CONNECT takes authority-form")
  func connect() throws {
    let text = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(head.method == .connect)
    #expect(slice(head.target, text) == "example.com:443")
    #expect(parseRequest("CONNECT [::1]:8443 HTTP/1.1\r\nHost: x\r\n\r\n").head != nil)
  }

  @Test("idempotent methods per RFC 9110 §9.2.2")
  func idempotency() {
    let idempotent: [HTTPMethod] = [.get, .head, .put, .delete, .options, .trace]
    let not: [HTTPMethod] = [.post, .patch, .connect, .other]
    #expect(idempotent.allSatisfy { $0.isIdempotent })
    #expect(!not.contains { $0.isIdempotent })
  }

  @Test(
    "target forms valid for their method",
    arguments: [
      "GET /a/b?c=d HTTP/1.1", "GET http://example.com/x HTTP/1.1", "GET HTTPS://example.com HTTP/1.1",
      "OPTIONS * HTTP/1.1", "OPTIONS /x HTTP/1.1", "CONNECT h:1 HTTP/1.1", "GET /%7E~!$&'()*+,;=:@ HTTP/1.1",
    ])
  func validTargets(line: String) {
    #expect(parseRequest(line + "\r\nHost: a\r\n\r\n").head != nil)
  }

  @Test(
    "target forms invalid for their method",
    arguments: [
      "GET * HTTP/1.1", "GET example.com:80 HTTP/1.1", "CONNECT /x HTTP/1.1", "CONNECT example.com HTTP/1.1",
      "CONNECT example.com:https HTTP/1.1", "CONNECT user@h:1 HTTP/1.1", "CONNECT :443 HTTP/1.1",
      "GET ftp://x/ HTTP/1.1", "GET http:// HTTP/1.1", "GET http:///path HTTP/1.1", "GET x HTTP/1.1",
      "OPTIONS ** HTTP/1.1", "CONNECT h:123456 HTTP/1.1",
    ])
  func invalidTargetForms(line: String) {
    #expect(parseRequest(line + "\r\nHost: a\r\n\r\n").error == .invalidTarget)
  }

  @Test(
    "target bytes must be visible ASCII",
    arguments: [UInt8(0x00), 0x01, 0x09, 0x7F, 0x80, 0xC3, 0xFF])
  func targetBytes(byte: UInt8) {
    var bytes = Array("GET /a".utf8)
    bytes.append(byte)
    bytes += Array("b HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
    #expect(parseRequest(bytes).error == .invalidTarget)
  }

  @Test(
    "versions other than 1.0 and 1.1 are unsupported (505)",
    arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"])
  func unsupportedVersions(version: String) {
    #expect(parseRequest("GET / \(version)\r\nHost: a\r\n\r\n").error == .unsupportedVersion)
    #expect(HTTPParseError(.unsupportedVersion).status == 505)
  }

  @Test(
    "garbage versions are malformed",
    arguments: [
      "http/1.1", "HTTP/1", "HTTP/1.1 ", "HTTP/11", "HTTP/1.10", "HTTP/1.x", "HTTP/a.1", "HTTPS/1.1", "XTTP/1.1",
    ])
  func malformedVersions(version: String) {
    #expect(parseRequest("GET / \(version)\r\nHost: a\r\n\r\n").error == .malformedRequestLine)
  }

  @Test("HTTP/1.0 parses without Host")
  func http10() throws {
    let head = try #require(parseRequest("GET / HTTP/1.0\r\n\r\n").head)
    #expect(head.version == .http1_0)
    #expect(head.hostIndex == -1)
    #expect(!head.keepAlive)
  }

  @Test(
    "malformed request lines",
    arguments: [
      ("GET  / HTTP/1.1\r\n", HTTPParseError.Kind.malformedRequestLine), (" GET / HTTP/1.1\r\n", .malformedRequestLine),
      ("GET / HTTP/1.1 \r\n", .malformedRequestLine), ("GET /\r\n", .malformedRequestLine),
      ("GET\r\n", .malformedRequestLine), ("GET / HTTP/1.1\rX", .malformedRequestLine),
      ("GE(T / HTTP/1.1\r\n", .invalidMethod), ("G\u{1}T / HTTP/1.1\r\n", .invalidMethod),
      ("GET\t/ HTTP/1.1\r\n", .invalidMethod), ("GET / HTTP/1.1\n", .bareLineFeed), ("GET /\n", .bareLineFeed),
      ("\u{16}\u{3}\u{1}", .invalidMethod),
    ])
  func malformedLines(line: String, kind: HTTPParseError.Kind) {
    #expect(parseRequest(line + "Host: a\r\n\r\n").error == kind)
  }

  @Test("a few leading empty lines are skipped and counted in headLength")
  func leadingEmptyLines() throws {
    let text = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(head.methodRange.start == 4)
    #expect(head.headLength == text.utf8.count)
    let many = String(repeating: "\r\n", count: 5) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    #expect(parseRequest(many).error == .malformedRequestLine)
    #expect(parseRequest("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").error == .bareLineFeed)
    #expect(parseRequest("\r\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").error == .malformedRequestLine)
  }

  @Test("URI length limit: exact limit passes, one more is 414 even before the line is complete")
  func uriTooLong() {
    let limits = HeadLimits(maxURILength: 16)
    let ok = "/" + String(repeating: "a", count: 15)
    #expect(parseRequest("GET \(ok) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits).head != nil)
    let long = ok + "b"
    #expect(parseRequest("GET \(long) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits).error == .uriTooLong)
    #expect(parseRequest("GET \(long)", limits: limits).error == .uriTooLong)
    #expect(parseRequest("GET \(ok)", limits: limits).isIncomplete)
    #expect(HTTPParseError(.uriTooLong).status == 414)
  }
}
