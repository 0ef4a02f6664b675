// Heads arriving in pieces, and pipelined messages after a body.
import Testing
import TracegateHTTP

@Suite("Incremental parsing and pipelining")
struct IncrementalTests {
  static let requests = [
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "\r\nPOST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5, 5\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n\r\n",
    "PUT http://h/x HTTP/1.0\r\nTransfer-Encoding-X: no\r\nX-Empty:\r\n\r\n",
    "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
  ]

  @Test("every proper prefix of a valid request is incomplete; the whole is complete", arguments: requests)
  func requestPrefixes(text: String) throws {
    let bytes = Array(text.utf8)
    let full = try #require(parseRequest(bytes).head)
    for cut in 0..<bytes.count {
      #expect(parseRequest(Array(bytes[0..<cut])).isIncomplete, "cut at \(cut)")
    }
    // Trailing bytes of the next message do not change the head.
    #expect(parseRequest(bytes + Array("GET".utf8)).head == full)
  }

  @Test("every proper prefix of a valid response is incomplete")
  func responsePrefixes() throws {
    let bytes = Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nServer: x\r\n\r\n".utf8)
    let full = try #require(parseResponse(bytes).head)
    for cut in 0..<bytes.count {
      #expect(parseResponse(Array(bytes[0..<cut])).isIncomplete, "cut at \(cut)")
    }
    #expect(parseResponse(bytes + [0x61, 0x62, 0x63]).head == full)
  }

  @Test(
    "errors are reported from the first byte that proves them, and prefixes before it stay incomplete",
    arguments: [
      ("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", HTTPParseError.Kind.obsFold),
      ("GET / HTTP/1.1\r\nHost: a\r\nX: \u{0}\r\n\r\n", .invalidHeaderValue),
      ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
      (
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        .contentLengthWithTransferEncoding
      ),
    ])
  func errorPrefixes(text: String, kind: HTTPParseError.Kind) {
    let bytes = Array(text.utf8)
    var sawError = false
    for cut in 0...bytes.count {
      let outcome = parseRequest(Array(bytes[0..<cut]))
      if let error = outcome.error {
        #expect(error == kind, "cut at \(cut)")
        sawError = true
      } else {
        #expect(!sawError, "an error went away when more bytes arrived (cut \(cut))")
        #expect(outcome.isIncomplete)
      }
    }
    #expect(sawError)
  }

  @Test("worthReparsing: only the first bytes, a new LF, or the head limit call for another parse")
  func worthReparsing() {
    let limits = HeadLimits(maxHeadBytes: 64)
    func check(_ text: String, _ previous: Int) -> Bool {
      Array(text.utf8).withUnsafeBytes { HeadParser.worthReparsing($0, previousCount: previous, limits: limits) }
    }
    #expect(check("G", 0))
    #expect(!check("GET / HTTP/1.1\r", 10))
    #expect(check("GET / HTTP/1.1\r\n", 15))
    #expect(!check("GET / HTTP/1.1\r\nHost: a", 16))
    #expect(check(String(repeating: "a", count: 64), 63))
    // Simulated trickle: parsing only when it is worth it still finds the head as soon as it is complete.
    let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789\r\n\r\n".utf8)
    var parses = 0
    var previous = 0
    var completeAt: Int?
    for count in 1...bytes.count where completeAt == nil {
      let prefix = Array(bytes[0..<count])
      let worth = prefix.withUnsafeBytes {
        HeadParser.worthReparsing($0, previousCount: previous, limits: HeadLimits())
      }
      previous = count
      guard worth else { continue }
      parses += 1
      if parseRequest(prefix).head != nil { completeAt = count }
    }
    #expect(completeAt == bytes.count)
    #expect(parses <= 5)
  }

  @Test("pipelined request after a Content-Length body")
  func pipelinedAfterContentLength() throws {
    let first = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
    let second = "GET /b HTTP/1.1\r\nHost: b\r\n\r\n"
    let bytes = Array((first + second).utf8)
    try bytes.withUnsafeBytes { raw in
      var head = RequestHead()
      #expect(try HeadParser.parseRequest(raw, limits: HeadLimits(), into: &head) == .complete)
      var tracker = BodyTracker(framing: head.framing)
      let afterHead = UnsafeRawBufferPointer(rebasing: raw[head.headLength...])
      let used = try tracker.consume(afterHead)
      #expect(used == 5)
      #expect(tracker.isComplete)
      let next = UnsafeRawBufferPointer(rebasing: afterHead[used...])
      #expect(try HeadParser.parseRequest(next, limits: HeadLimits(), into: &head) == .complete)
      #expect(String(decoding: head.target.bytes(in: next), as: UTF8.self) == "/b")
      #expect(head.headLength == next.count)
    }
  }

  @Test("pipelined request after a chunked body with trailers")
  func pipelinedAfterChunked() throws {
    let first = "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 9\r\n\r\n"
    let second = "GET /b HTTP/1.1\r\nHost: b\r\n\r\n"
    let bytes = Array((first + second).utf8)
    try bytes.withUnsafeBytes { raw in
      var head = RequestHead()
      #expect(try HeadParser.parseRequest(raw, limits: HeadLimits(), into: &head) == .complete)
      #expect(head.framing == .chunked)
      var tracker = BodyTracker(framing: head.framing)
      let afterHead = UnsafeRawBufferPointer(rebasing: raw[head.headLength...])
      var payload: [UInt8] = []
      let used = try tracker.consume(afterHead) { payload.append(contentsOf: $0) }
      #expect(tracker.isComplete)
      #expect(payload == Array("abc".utf8))
      #expect(head.headLength + used == first.utf8.count)
      let next = UnsafeRawBufferPointer(rebasing: afterHead[used...])
      #expect(try HeadParser.parseRequest(next, limits: HeadLimits(), into: &head) == .complete)
      #expect(String(decoding: head.target.bytes(in: next), as: UTF8.self) == "/b")
    }
  }
}
