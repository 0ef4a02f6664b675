// DATA payloads and trailers -> chunked HTTP/1.1 bodies, and chunked trailers -> HTTP/2 trailer blocks.
import Testing
import TracegateHTTP

/// Feeds a chunked body to a tracker with trailer reporting, in pieces of the given sizes.
private func trackWithTrailers(
  _ bytes: [UInt8], pieces: [Int]? = nil, maxTrailerBytes: Int = 16384
) -> (outcome: BodyOutcome, trailer: [UInt8], trailerCalls: Int) {
  var tracker = BodyTracker(framing: .chunked, maxTrailerBytes: maxTrailerBytes)
  var outcome = BodyOutcome()
  var trailer: [UInt8] = []
  var calls = 0
  let sizes = pieces ?? [bytes.count]
  bytes.withUnsafeBytes { raw in
    var offset = 0
    for (index, size) in sizes.enumerated() {
      if tracker.isComplete { break }
      let end = index == sizes.count - 1 ? raw.count : min(raw.count, offset + size)
      let piece = UnsafeRawBufferPointer(rebasing: raw[offset..<end])
      do throws(HTTPParseError) {
        outcome.consumed += try tracker.consume(
          piece, payload: { outcome.payload.append(contentsOf: $0) },
          trailer: { span in
            calls += 1
            trailer.append(contentsOf: span)
          })
      } catch {
        outcome.error = error.kind
        outcome.consumed = 0
        break
      }
      offset = end
    }
  }
  outcome.complete = tracker.isComplete
  outcome.payloadBytes = tracker.payloadBytes
  return (outcome, trailer, calls)
}

/// Parses trailer bytes into fields, or the error kind.
private func parseTrailers(_ text: String) -> Result<[Field], HTTPParseError> {
  Array(text.utf8).withUnsafeBytes { raw in
    do throws(HTTPParseError) {
      return .success(fields(of: try TrailerFields.parse(raw)))
    } catch {
      return .failure(error)
    }
  }
}

@Suite("Translation: chunked bodies and trailers")
struct TranslationBodyTests {
  private static func chunk(_ payload: String) -> String {
    var out = IOBuffer()
    defer { out.release() }
    Array(payload.utf8).withUnsafeBytes { ChunkedBodyWriter.appendChunk($0, into: &out) }
    return text(of: out)
  }

  private static func lastChunk(_ trailers: FieldBlock?) -> Result<String, H2TranslationError> {
    var out = IOBuffer()
    defer { out.release() }
    out.append(Array("before".utf8))
    do throws(H2TranslationError) {
      try ChunkedBodyWriter.appendLastChunk(trailers: trailers, into: &out)
      return .success(String(text(of: out).dropFirst(6)))
    } catch {
      precondition(text(of: out) == "before", "a refused trailer block left bytes behind")
      return .failure(error)
    }
  }

  @Test("a DATA payload becomes one chunk with a lower-case hex size")
  func chunks() {
    #expect(Self.chunk("hello") == "5\r\nhello\r\n")
    #expect(Self.chunk(String(repeating: "a", count: 16)) == "10\r\n" + String(repeating: "a", count: 16) + "\r\n")
    #expect(Self.chunk(String(repeating: "b", count: 255)).hasPrefix("ff\r\nbbb"))
    #expect(Self.chunk(String(repeating: "c", count: 4096)).hasPrefix("1000\r\nccc"))
    #expect(Self.chunk(String(repeating: "d", count: 70000)).hasPrefix("11170\r\nddd"))
  }

  @Test("an empty DATA payload writes nothing: a 0 chunk would end the body")
  func emptyPayload() {
    #expect(Self.chunk("") == "")
  }

  @Test("the last chunk without trailers")
  func lastChunkPlain() {
    #expect(Self.lastChunk(nil).value == "0\r\n\r\n")
    #expect(Self.lastChunk(FieldBlock()).value == "0\r\n\r\n")
  }

  @Test("the last chunk with trailers, names as received")
  func lastChunkTrailers() {
    let block = makeBlock([("grpc-status", "0"), ("grpc-message", "all good"), ("x-checksum", "")])
    #expect(Self.lastChunk(block).value == "0\r\ngrpc-status: 0\r\ngrpc-message: all good\r\nx-checksum: \r\n\r\n")
  }

  @Test(
    "refused trailers",
    arguments: [
      ([(":status", "200")], H2TranslationError.Kind.pseudoHeaderInTrailers),
      ([("x-ok", "1"), (":path", "/")], .pseudoHeaderInTrailers),
      ([("connection", "close")], .connectionSpecificField),
      ([("transfer-encoding", "chunked")], .connectionSpecificField),
      ([("keep-alive", "1")], .connectionSpecificField),
      ([("proxy-connection", "x")], .connectionSpecificField),
      ([("upgrade", "h2c")], .connectionSpecificField),
      ([("te", "gzip")], .invalidTE),
      ([("Grpc-Status", "0")], .uppercaseFieldName),
      ([("a b", "0")], .invalidFieldName),
      ([("x", "a\r\nInjected: 1")], .invalidFieldValue),
      ([("x", " padded")], .invalidFieldValue),
    ])
  func refusedTrailers(fieldList: [(String, String)], kind: H2TranslationError.Kind) {
    #expect(Self.lastChunk(makeBlock(fieldList)).failure == H2TranslationError(kind, status: 400))
  }

  @Test("written chunks and trailers read back through the body tracker, split anyhow")
  func writerToTracker() throws {
    var out = IOBuffer()
    defer { out.release() }
    let payloads = ["hello ", "", "world", String(repeating: "x", count: 300)]
    for payload in payloads {
      Array(payload.utf8).withUnsafeBytes { ChunkedBodyWriter.appendChunk($0, into: &out) }
    }
    try ChunkedBodyWriter.appendLastChunk(
      trailers: makeBlock([("grpc-status", "0"), ("x-sum", "abc")]), into: &out)
    let body = Array(out.readable) + Array("NEXT".utf8)
    let whole = trackWithTrailers(body)
    #expect(whole.outcome.complete)
    #expect(whole.outcome.consumed == body.count - 4)
    #expect(whole.outcome.payload == Array(payloads.joined().utf8))
    #expect(String(decoding: whole.trailer, as: UTF8.self) == "grpc-status: 0\r\nx-sum: abc\r\n")
    #expect(
      parseTrailers(String(decoding: whole.trailer, as: UTF8.self)).value
        == [Field("grpc-status", "0"), Field("x-sum", "abc")])
  }

  static let trailerBodies: [(String, String)] = [
    ("5\r\nhello\r\n0\r\nGrpc-Status: 0\r\nX-Y:  a b \r\n\r\n", "Grpc-Status: 0\r\nX-Y:  a b \r\n"),
    ("0\r\nA: 1\r\n\r\n", "A: 1\r\n"),
    (
      "3;ext=1\r\nabc\r\n0;last\r\nempty:\r\nx:\t\ty\t\r\nz: \u{80}\u{ff}\r\n\r\n",
      "empty:\r\nx:\t\ty\t\r\nz: \u{80}\u{ff}\r\n"
    ),
    ("5\r\nhello\r\n0\r\n\r\n", ""),
    ("0\r\n\r\n", ""),
  ]

  @Test("trailer-section bytes are reported exactly, however the body is split", arguments: trailerBodies)
  func trailerSpans(body: String, trailer: String) {
    let input = Array((body + "NEXT").utf8)
    let whole = trackWithTrailers(input)
    #expect(whole.outcome.error == nil)
    #expect(whole.outcome.complete)
    #expect(whole.outcome.consumed == body.utf8.count)
    #expect(whole.trailer == Array(trailer.utf8))
    if trailer.isEmpty { #expect(whole.trailerCalls == 0) }
    // Without trailer reporting the tracker gives the same result as before.
    #expect(feedBody(input) == whole.outcome)

    let oneByte = trackWithTrailers(input, pieces: Array(repeating: 1, count: input.count))
    #expect(oneByte.outcome == whole.outcome)
    #expect(oneByte.trailer == whole.trailer)
    var rng = SeededGenerator(seed: UInt64(body.utf8.count))
    for _ in 0..<50 {
      let split = trackWithTrailers(input, pieces: randomPieces(input.count, using: &rng))
      #expect(split.outcome == whole.outcome)
      #expect(split.trailer == whole.trailer)
    }
  }

  @Test("trailer errors are the tracker's usual ones, with or without reporting")
  func trailerErrors() {
    for body in ["0\r\n X: y\r\n\r\n", "0\r\nX : y\r\n\r\n", "0\r\nX: a\u{0}b\r\n\r\n", "0\r\nX: y\n"] {
      let input = Array(body.utf8)
      let reported = trackWithTrailers(input, pieces: Array(repeating: 1, count: input.count))
      #expect(reported.outcome.error != nil)
      #expect(reported.outcome.error == feedBody(input).error)
    }
    let big = Array(("0\r\nX: " + String(repeating: "v", count: 100) + "\r\n\r\n").utf8)
    #expect(trackWithTrailers(big, maxTrailerBytes: 50).outcome.error == .trailersTooLarge)
  }

  @Test("other framings never report trailer bytes")
  func otherFramings() {
    for framing in [BodyFraming.contentLength(5), .untilClose, .none] {
      var tracker = BodyTracker(framing: framing)
      var trailerCalls = 0
      var payload: [UInt8] = []
      let used = Array("A: 1\r\n\r\n".utf8).withUnsafeBytes { raw in
        try? tracker.consume(raw, payload: { payload.append(contentsOf: $0) }, trailer: { _ in trailerCalls += 1 })
      }
      #expect(trailerCalls == 0)
      #expect(used == payload.count)
    }
  }

  @Test("trailer fields: names lower-cased, values trimmed, in order")
  func parseTrailerFields() {
    #expect(
      parseTrailers("Grpc-Status: 0\r\nX-Y:  a b \r\nEMPTY:\r\nz:\t\u{80}x\t\r\n").value
        == [Field("grpc-status", "0"), Field("x-y", "a b"), Field("empty", ""), Field("z", "\u{80}x")])
    #expect(parseTrailers("").value == [])
    #expect(parseTrailers("A: 1\r\n\r\n").value == [Field("a", "1")])
    #expect(parseTrailers("\r\n").value == [])
  }

  @Test("hop-by-hop and connection-specific trailer fields are left out")
  func parseDropsHopByHop() {
    let raw =
      "Connection: close\r\nKeep-Alive: 1\r\nProxy-Connection: x\r\nTE: trailers\r\nTrailer: a\r\n"
      + "Transfer-Encoding: chunked\r\nUpgrade: h2c\r\nKept: yes\r\n"
    #expect(parseTrailers(raw).value == [Field("kept", "yes")])
  }

  @Test(
    "malformed trailer sections",
    arguments: [
      (" A: 1\r\n", HTTPParseError.Kind.obsFold), ("A: 1\r\n\tcontinued\r\n", .obsFold),
      ("A : 1\r\n", .invalidHeaderName), (": 1\r\n", .invalidHeaderName), ("A\r\n", .invalidHeaderName),
      ("A", .invalidHeaderName), ("a b: 1\r\n", .invalidHeaderName), ("A: 1\n", .bareLineFeed),
      ("\n", .bareLineFeed), ("A: a\rb\r\n", .invalidHeaderValue), ("A: a\u{0}b\r\n", .invalidHeaderValue),
      ("A: 1", .invalidHeaderValue), ("A: 1\r", .invalidHeaderValue), ("A: 1\r\n\r\nB: 2\r\n", .invalidHeaderValue),
      ("\r", .invalidHeaderValue), ("\rX", .invalidHeaderValue),
    ])
  func malformedTrailers(raw: String, kind: HTTPParseError.Kind) {
    #expect(parseTrailers(raw).failure?.kind == kind)
  }

  @Test("parsing into a reused block empties it first")
  func parseIntoReusedBlock() {
    var block = makeBlock([("old", "field")])
    let error: HTTPParseError? = Array("New: 1\r\n".utf8).withUnsafeBytes { raw in
      do throws(HTTPParseError) {
        try TrailerFields.parse(raw, into: &block)
        return nil
      } catch {
        return error
      }
    }
    #expect(error == nil)
    #expect(fields(of: block) == [Field("new", "1")])
  }
}
