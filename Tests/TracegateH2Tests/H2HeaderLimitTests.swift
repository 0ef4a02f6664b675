// SETTINGS_MAX_HEADER_LIST_SIZE enforced on receive (RFC 9113 §6.5.2, §10.5.1).
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 header list size")
struct H2HeaderLimitTests {
  static let small = H2Settings(maxHeaderListSize: 1024)
  static func bigRequest(_ path: String = "/") -> FieldBlock {
    block([":method: POST", ":scheme: http", ":authority: a", ":path: " + path, "x-big: " + String(repeating: "b", count: 2000)])
  }

  @Test("an oversized request reaches the server as headerListTooLarge; a 431 answers it and cancels the rest")
  func requestTooLarge() throws {
    let pair = try H2Pair(serverSettings: Self.small)
    let id = try pair.client.submitRequest(fields: Self.bigRequest(), endStream: false).get()
    #expect(append(pair.client, id, "body that nobody will read"))
    pair.pump()
    var seen = pair.takeSeen()
    #expect(seen.server.contains(.tooLarge(id, .request)))
    #expect(!seen.server.contains { if case .headers = $0 { true } else if case .data = $0 { true } else { false } },
            "neither fields nor body are reported")
    #expect(pair.server.submitResponse(stream: id, fields: block([":status: 431"]), endStream: true) == nil)
    pair.pump()
    seen = pair.takeSeen()
    #expect(seen.client == [.headers(id, .response, [":status: 431"], end: true), .closed(id, .noError)],
            "the complete response, then RST_STREAM(NO_ERROR) for the unfinished request (RFC 9113 §8.1)")
    #expect(seen.server == [.closed(id, .noError)])
    #expect(pair.server.openStreamCount == 0)
    #expect(!append(pair.client, id, "more"))
  }

  @Test("a field section just under the limit passes, counted as name + value + 32 per field")
  func exactlyAtLimit() throws {
    let pair = try H2Pair(serverSettings: H2Settings(maxHeaderListSize: 205))
    // :method POST (7+4+32) + :scheme http (7+4+32) + :authority a (10+1+32) + :path / (5+1+32) = 167,
    // x 12345 (1+5+32) = 38: exactly 205.
    let fields = [":method: POST", ":scheme: http", ":authority: a", ":path: /", "x: 12345"]
    _ = try pair.client.submitRequest(fields: block(fields), endStream: true).get()
    pair.pump()
    #expect(pair.takeSeen().server.contains(.headers(1, .request, fields, end: true)))
    _ = try pair.client.submitRequest(fields: block(fields.dropLast() + ["x: 123456"]), endStream: true).get()
    pair.pump()
    #expect(pair.takeSeen().server.contains(.tooLarge(3, .request)))
  }

  @Test("an oversized response is reset by the client with PROTOCOL_ERROR")
  func responseTooLarge() throws {
    let pair = try H2Pair(clientSettings: Self.small)
    let id = try pair.client.submitRequest(fields: block([":method: GET", ":scheme: http", ":authority: a", ":path: /"]), endStream: true).get()
    pair.pump()
    _ = pair.takeSeen()
    pair.server.submitResponse(stream: id, fields: block([":status: 200", "x-big: " + String(repeating: "b", count: 2000)]), endStream: false)
    #expect(append(pair.server, id, "body"))
    pair.pump()
    let seen = pair.takeSeen()
    #expect(seen.client == [.tooLarge(id, .response), .closed(id, .protocolError)])
    #expect(seen.server == [.closed(id, .protocolError)])
  }

  @Test("too many oversized header sections on one connection close it: GOAWAY(ENHANCE_YOUR_CALM)")
  func hpackBomb() throws {
    let pair = try H2Pair(serverSettings: Self.small, serverLimits: H2FloodLimits(maxHeaderResetsPerConnection: 2))
    for i in 0..<3 {
      // The big value enters the client's HPACK table once; later requests reference it in one byte.
      _ = try pair.client.submitRequest(fields: Self.bigRequest("/\(i)"), endStream: true).get()
    }
    pair.pump()
    #expect(pair.serverError == H2Error(kind: .flood(.headerLists), code: .enhanceYourCalm))
    let seen = pair.takeSeen()
    #expect(seen.server.filter { if case .tooLarge = $0 { true } else { false } }.count == 2)
    #expect(seen.client.contains { if case .goAway(_, .enhanceYourCalm) = $0 { true } else { false } })
    #expect(!pair.server.wantsRead && !pair.server.wantsWrite)
  }
}
