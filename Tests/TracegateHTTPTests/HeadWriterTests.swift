// Rewriting heads by copying kept spans, and parsing the result again.
import Testing
import TracegateHTTP

@Suite("Head writer")
struct HeadWriterTests {
  /// Writes a request head (plus optional extra fields), returns the written text.
  private func rewrite(
    _ text: String, target: String? = nil, extra: (inout IOBuffer) -> Void = { _ in }
  ) throws -> String {
    let bytes = Array(text.utf8)
    let head = try #require(parseRequest(bytes).head)
    var out = IOBuffer()
    defer { out.release() }
    bytes.withUnsafeBytes { raw in
      if let target {
        Array(target.utf8).withUnsafeBytes { t in HeadWriter.writeRequestHead(head, from: raw, target: t, into: &out) }
      } else {
        HeadWriter.writeRequestHead(head, from: raw, into: &out)
      }
    }
    extra(&out)
    HeadWriter.finishHead(into: &out)
    return String(decoding: out.readable, as: UTF8.self)
  }

  @Test("kept fields are copied verbatim, dropped ones are left out, version becomes HTTP/1.1")
  func copiesKeptSpans() throws {
    let text =
      "GET /x?y HTTP/1.0\r\nHost: a\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Case:  Mixed Value \r\n\r\n"
    let written = try rewrite(text)
    #expect(written == "GET /x?y HTTP/1.1\r\nHost: a\r\nX-Case:  Mixed Value \r\n\r\n")
  }

  @Test("target override and extra headers")
  func targetAndExtras() throws {
    let written = try rewrite("GET http://h/p?q HTTP/1.1\r\nHost: h\r\n\r\n", target: "/p?q") { out in
      HeadWriter.appendHeader(name: "X-Forwarded-Proto", value: "https", into: &out)
      Array("00-abc-01".utf8).withUnsafeBytes { HeadWriter.appendHeader(name: "traceparent", value: $0, into: &out) }
      Array("X-Correlation-ID".utf8).withUnsafeBytes { name in
        Array("c-1".utf8).withUnsafeBytes { value in HeadWriter.appendHeader(name: name, value: value, into: &out) }
      }
    }
    #expect(
      written
        == "GET /p?q HTTP/1.1\r\nHost: h\r\nX-Forwarded-Proto: https\r\ntraceparent: 00-abc-01\r\nX-Correlation-ID: c-1\r\n\r\n"
    )
  }

  @Test("a list-form Content-Length is written once, canonically, where it stood")
  func canonicalContentLength() throws {
    let written = try rewrite(
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 , 5\r\nX: 1\r\ncontent-length: 5\r\n\r\n")
    #expect(written == "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX: 1\r\n\r\n")
  }

  @Test("an unusual chunked spelling is written once, canonically, keeping earlier codings")
  func canonicalTransferEncoding() throws {
    let written = try rewrite(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip,\r\nX: 1\r\ntransfer-encoding: , br ,CHUNKED\r\n\r\n")
    #expect(written == "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, br, chunked\r\nX: 1\r\n\r\n")
    #expect(
      try rewrite("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: chunked\r\n\r\n")
        == "POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: chunked\r\n\r\n")
  }

  static let roundTripRequests = [
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX-A: b\r\nCookie: k=v; l=w\r\n\r\n",
    "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nTE: trailers\r\nTrailer: X\r\n\r\n",
    "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, X-P\r\nUpgrade: websocket\r\nX-P: 1\r\nX-Q: 2\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: a\r\nProxy-Connection: keep-alive\r\nKeep-Alive: 5\r\n\r\n",
    "PATCH /r HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7\r\n\r\n",
  ]

  @Test("round trip: the written head parses to the same kept fields and framing", arguments: roundTripRequests)
  func roundTrip(text: String) throws {
    let original = try #require(parseRequest(text).head)
    let written = try rewrite(text)
    let reparsed = try #require(parseRequest(written).head)
    #expect(reparsed.framing == original.framing)
    #expect(reparsed.upgrade == original.upgrade)
    #expect(slice(reparsed.target, written) == slice(original.target, text))
    #expect(reparsed.headers.allSatisfy { !$0.drop })
    var expected = keptFields(original.headers, text)
    if original.rewritesContentLength, let n = original.contentLength {
      let firstLength =
        original.headers.filter { !$0.drop || $0.known == .contentLength }
        .firstIndex { $0.known == .contentLength } ?? 0
      expected.insert("Content-Length: \(n)", at: firstLength)
    }
    if original.rewritesTransferEncoding {
      let first =
        original.headers.filter { !$0.drop || $0.known == .transferEncoding }
        .firstIndex { $0.known == .transferEncoding } ?? 0
      expected.insert("Transfer-Encoding: gzip, chunked", at: first)
    }
    #expect(keptFields(reparsed.headers, written) == expected)
  }

  @Test("response head: status line is rebuilt, kept fields copied, round trip parses the same")
  func response() throws {
    let text = "HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\nConnection: keep-alive\r\nServer: s\r\n\r\n"
    let bytes = Array(text.utf8)
    let head = try #require(parseResponse(bytes).head)
    var out = IOBuffer(capacity: 8)
    defer { out.release() }
    bytes.withUnsafeBytes { HeadWriter.writeResponseHead(head, from: $0, into: &out) }
    HeadWriter.finishHead(into: &out)
    let written = String(decoding: out.readable, as: UTF8.self)
    #expect(written == "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\nServer: s\r\n\r\n")
    let reparsed = try #require(parseResponse(written).head)
    #expect(reparsed.statusCode == 404)
    #expect(reparsed.framing == .contentLength(3))
  }

  @Test("response with an empty reason")
  func emptyReason() throws {
    let bytes = Array("HTTP/1.1 204\r\nDate: d\r\n\r\n".utf8)
    let head = try #require(parseResponse(bytes).head)
    var out = IOBuffer()
    defer { out.release() }
    bytes.withUnsafeBytes { HeadWriter.writeResponseHead(head, from: $0, into: &out) }
    HeadWriter.finishHead(into: &out)
    #expect(String(decoding: out.readable, as: UTF8.self) == "HTTP/1.1 204 \r\nDate: d\r\n\r\n")
  }
}
