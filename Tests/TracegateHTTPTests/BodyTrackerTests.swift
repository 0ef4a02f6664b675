// Streaming body framing validation (RFC 9112 §6.2, §7.1).
import Testing
import TracegateHTTP

@Suite("Body tracker")
struct BodyTrackerTests {
  private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test("no body: complete from the start, consumes nothing")
  func none() {
    var tracker = BodyTracker(framing: .none)
    #expect(tracker.isComplete)
    let used = Self.bytes("GET").withUnsafeBytes { try? tracker.consume($0) }
    #expect(used == 0)
    #expect(BodyTracker(framing: .contentLength(0)).isComplete)
  }

  @Test("Content-Length body stops at its length, in any split")
  func contentLength() {
    let input = Self.bytes("helloNEXT")
    let whole = feedBody(input, framing: .contentLength(5))
    #expect(whole == BodyOutcome(consumed: 5, complete: true, payload: Self.bytes("hello"), payloadBytes: 5))
    #expect(feedBody(input, framing: .contentLength(5), pieces: Array(repeating: 1, count: input.count)) == whole)
    let short = feedBody(Self.bytes("hel"), framing: .contentLength(5))
    #expect(short.consumed == 3 && !short.complete)
  }

  @Test("until close consumes everything and never completes")
  func untilClose() {
    let outcome = feedBody(Self.bytes("anything at all"), framing: .untilClose)
    #expect(outcome.consumed == 15)
    #expect(!outcome.complete)
    #expect(outcome.payloadBytes == 15)
  }

  static let validChunked: [(String, String)] = [
    ("0\r\n\r\n", ""),
    ("5\r\nhello\r\n0\r\n\r\n", "hello"),
    ("4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n", "Wikipedia in\r\n\r\nchunks."),
    ("a\r\n0123456789\r\n00\r\n\r\n", "0123456789"),
    ("A;name\r\n0123456789\r\n0;x=y\r\n\r\n", "0123456789"),
    ("3 ; ext = \"quoted ;\\\" value\" ; b=c\r\nabc\r\n0\r\n\r\n", "abc"),
    ("3;a;b=\"\"\r\nabc\r\n0\r\nTrailer-A: 1\r\ntrailer-b:\t x \r\n\r\n", "abc"),
    ("0000000000000003\r\nabc\r\n0\r\n\r\n", "abc"),
  ]

  @Test("valid chunked bodies", arguments: validChunked)
  func validBodies(body: String, payload: String) {
    let input = Self.bytes(body + "NEXT")
    let outcome = feedBody(input)
    #expect(outcome.error == nil)
    #expect(outcome.complete)
    #expect(outcome.consumed == body.utf8.count)
    #expect(outcome.payload == Self.bytes(payload))
    #expect(outcome.payloadBytes == UInt64(payload.utf8.count))
  }

  @Test("valid chunked bodies give identical results fed one byte at a time", arguments: validChunked)
  func byteAtATime(body: String, payload: String) {
    let input = Self.bytes(body + "NEXT")
    #expect(feedBody(input, pieces: Array(repeating: 1, count: input.count)) == feedBody(input))
  }

  @Test(
    "invalid chunked framing",
    arguments: [
      ("0x5\r\nhello\r\n0\r\n\r\n", HTTPParseError.Kind.invalidChunkSize), ("-1\r\n", .invalidChunkSize),
      ("fffffffffffffffff\r\n", .invalidChunkSize), ("00000000000000000\r\n", .invalidChunkSize),
      ("5 junk\r\nhello\r\n", .invalidChunkSize), ("5junk\r\n", .invalidChunkSize), ("\r\n", .invalidChunkSize),
      (" 5\r\n", .invalidChunkSize), ("5 \r\nhello\r\n", .invalidChunkSize), ("+5\r\n", .invalidChunkSize),
      ("5;\r\n", .invalidChunkSize), ("5;=x\r\n", .invalidChunkSize), ("5;a=\r\n", .invalidChunkSize),
      ("5;a=\"x\r\n", .invalidChunkSize), ("5;a b\r\n", .invalidChunkSize), ("5;a=b c\r\n", .invalidChunkSize),
      ("5\n", .bareLineFeed), ("5\r\nhello\n", .bareLineFeed), ("5;a\n", .bareLineFeed),
      ("5\rX", .invalidChunkTerminator), ("5\r\nhelloX\r\n", .invalidChunkTerminator),
      ("5\r\nhello\rX", .invalidChunkTerminator), ("0\r\n\rX", .invalidChunkTerminator),
      ("0\r\n\n", .bareLineFeed), ("0\r\nX: y\n", .bareLineFeed),
      ("0\r\n X: y\r\n\r\n", .obsFold), ("0\r\nX : y\r\n\r\n", .invalidHeaderName),
      ("0\r\n:y\r\n\r\n", .invalidHeaderName),
      ("0\r\nX: a\u{0}b\r\n\r\n", .invalidHeaderValue), ("0\r\nX: a\rb\r\n\r\n", .invalidHeaderValue),
    ])
  func invalid(body: String, kind: HTTPParseError.Kind) {
    let input = Self.bytes(body)
    #expect(feedBody(input).error == kind)
    #expect(feedBody(input, pieces: Array(repeating: 1, count: input.count)).error == kind)
  }

  @Test("chunk extensions are limited to 4096 bytes")
  func extensionLimit() {
    let ok = "1;" + String(repeating: "a", count: 4095) + "\r\nx\r\n0\r\n\r\n"
    #expect(feedBody(Self.bytes(ok)).complete)
    let long = "1;" + String(repeating: "a", count: 4096) + "\r\nx\r\n0\r\n\r\n"
    #expect(feedBody(Self.bytes(long)).error == .chunkExtensionTooLong)
  }

  @Test("trailer section is limited")
  func trailerLimit() {
    let body = "0\r\nX-A: 12345\r\n\r\n"  // trailer field line is 12 bytes with its CRLF
    #expect(feedBody(Self.bytes(body), maxTrailerBytes: 12).complete)
    #expect(feedBody(Self.bytes(body), maxTrailerBytes: 11).error == .trailersTooLarge)
    #expect(feedBody(Self.bytes("0\r\n\r\n"), maxTrailerBytes: 0).complete)
  }

  @Test("a 16-digit chunk size is accepted (no overflow)")
  func largestSize() {
    var tracker = BodyTracker(framing: .chunked)
    let used = Self.bytes("ffffffffffffffff\r\nab").withUnsafeBytes { try? tracker.consume($0) }
    #expect(used == 20)
    #expect(tracker.payloadBytes == 2)
    #expect(!tracker.isComplete)
  }

  @Test("nothing is consumed after completion")
  func afterCompletion() throws {
    var tracker = BodyTracker(framing: .chunked)
    let first = try Self.bytes("0\r\n\r\n").withUnsafeBytes { raw throws(HTTPParseError) in try tracker.consume(raw) }
    #expect(first == 5)
    let second = try Self.bytes("more").withUnsafeBytes { raw throws(HTTPParseError) in try tracker.consume(raw) }
    #expect(second == 0)
  }

  @Test("property: random split points give identical results", arguments: 0..<40)
  func randomSplits(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed) &* 0x1234_5678_9ABC)
    // A random valid chunked body, possibly corrupted at one position.
    var body: [UInt8] = []
    for _ in 0..<Int.random(in: 0...4, using: &rng) {
      let size = Int.random(in: 1...40, using: &rng)
      body += Array(String(size, radix: 16, uppercase: Bool.random(using: &rng)).utf8)
      if Bool.random(using: &rng) { body += Array(";k=\"v\"".utf8) }
      body += [0x0D, 0x0A]
      body += (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
      body += [0x0D, 0x0A]
    }
    body += Array("0\r\n".utf8)
    if Bool.random(using: &rng) { body += Array("X-T: v\r\n".utf8) }
    body += Array("\r\nGET".utf8)
    if seed % 3 == 0 {
      let at = Int.random(in: 0..<body.count, using: &rng)
      body[at] = [0x0A, 0x0D, 0x78, 0x20, 0x3B][Int.random(in: 0..<5, using: &rng)]
    }
    let whole = feedBody(body)
    if seed % 3 != 0 {
      #expect(whole.complete)
      #expect(whole.consumed == body.count - 3)
    }
    for _ in 0..<8 {
      #expect(feedBody(body, pieces: randomPieces(body.count, using: &rng)) == whole)
    }
    #expect(feedBody(body, pieces: Array(repeating: 1, count: body.count)) == whole)
  }
}
