// Concurrency limits and GOAWAY (RFC 9113 §5.1.2, §6.8).
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 stream limits and GOAWAY")
struct H2StreamLimitTests {
  static func get(_ path: String) -> FieldBlock { block([":method: GET", ":scheme: http", ":authority: a", ":path: " + path]) }

  @Test("canOpenStream respects the peer's SETTINGS_MAX_CONCURRENT_STREAMS")
  func maxConcurrentStreams() throws {
    let pair = try H2Pair(serverSettings: H2Settings(maxConcurrentStreams: 2))
    #expect(pair.client.remoteMaxConcurrentStreams == 100, "nghttp2's assumption before the peer's SETTINGS")
    pair.pump()
    #expect(pair.takeSeen().client.contains(.settings(2)))
    #expect(pair.client.remoteMaxConcurrentStreams == 2)
    #expect(pair.client.canOpenStream)
    let first = try pair.client.submitRequest(fields: Self.get("/1"), endStream: true).get()
    #expect(pair.client.canOpenStream)
    _ = try pair.client.submitRequest(fields: Self.get("/2"), endStream: true).get()
    #expect(!pair.client.canOpenStream)
    #expect(pair.client.openStreamCount == 2)
    pair.pump()
    #expect(pair.server.openStreamCount == 2)
    pair.server.submitResponse(stream: first, fields: block([":status: 200"]), endStream: true)
    pair.pump()
    #expect(pair.takeSeen().client.contains(.closed(first, .noError)))
    #expect(pair.client.canOpenStream)
    #expect(!pair.server.canOpenStream, "servers do not open streams")
  }

  @Test("an immediate GOAWAY refuses the client's streams above last-stream-id, sent or not, and stops new ones")
  func goAwayRefusesLaterStreams() throws {
    let pair = try H2Pair()
    let first = try pair.client.submitRequest(fields: Self.get("/1"), endStream: true).get()
    pair.pump()
    _ = pair.takeSeen()
    let second = try pair.client.submitRequest(fields: Self.get("/2"), endStream: true).get()
    let inFlight = output(of: pair.client).bytes  // HEADERS for the second stream, not delivered yet
    #expect(frames(inFlight).contains { $0.type == 0x1 && $0.stream == UInt32(second) })
    let unsent = try pair.client.submitRequest(fields: Self.get("/3"), endStream: true).get()

    #expect(pair.server.goAway(code: .internalError) == nil)
    let goAway = output(of: pair.server)
    #expect(goAway.error == nil, "the caller's own GOAWAY is not a failure")
    #expect(frames(goAway.bytes).last?.goAwayCode == .internalError)
    #expect(!pair.server.wantsRead && !pair.server.wantsWrite, "terminated: done once written")
    #expect(feed(pair.server, inFlight) == nil)
    #expect(drain(pair.server).isEmpty, "a terminated session reads nothing more")

    #expect(feed(pair.client, goAway.bytes) == nil)
    let seen = drain(pair.client)
    #expect(seen.contains(.goAway(first, .internalError)))
    #expect(seen.contains(.closed(second, .refusedStream)))
    #expect(seen.contains(.closed(unsent, .refusedStream)))
    #expect(!seen.contains { if case .closed(first, _) = $0 { true } else { false } }, "stream 1 was processed")
    #expect(!pair.client.canOpenStream)
    guard case .failure = pair.client.submitRequest(fields: Self.get("/4"), endStream: true) else {
      Issue.record("a request after GOAWAY must not get a stream")
      return
    }
  }

  @Test("graceful server shutdown: notice, PING round trip, final GOAWAY; open streams finish, then both sides are done")
  func gracefulDrain() throws {
    let pair = try H2Pair()
    let first = try pair.client.submitRequest(fields: Self.get("/1"), endStream: true).get()
    pair.pump()
    _ = pair.takeSeen()
    #expect(pair.server.goAway(code: .noError) == nil)
    pair.pump()
    let seen = pair.takeSeen().client
    #expect(seen.contains(.goAway(Int32.max, .noError)), "shutdown notice (RFC 9113 §6.8)")
    #expect(seen.contains(.goAway(first, .noError)), "final GOAWAY after the PING came back")
    #expect(!pair.client.canOpenStream)
    #expect(pair.server.wantsRead, "stream 1 is still open")

    pair.server.submitResponse(stream: first, fields: block([":status: 200"]), endStream: true)
    pair.pump()
    #expect(pair.takeSeen().client.contains(.closed(first, .noError)))
    #expect(!pair.server.wantsRead && !pair.server.wantsWrite)
    #expect(!pair.client.wantsRead && !pair.client.wantsWrite)
    #expect(pair.clientError == nil && pair.serverError == nil)
  }

  @Test("a second graceful goAway while the PING is unanswered sends the final GOAWAY at once (drain timeout)")
  func drainTimeout() throws {
    let pair = try H2Pair()
    let first = try pair.client.submitRequest(fields: Self.get("/1"), endStream: true).get()
    pair.pump()
    #expect(pair.server.goAway(code: .noError) == nil)
    let notice = frames(output(of: pair.server).bytes)
    #expect(notice.map(\.type) == [0x6, 0x7], "the PING (urgent queue), then the shutdown notice")
    #expect(notice.last.map { Array($0.payload.prefix(4)) } == Raw.be32(0x7fff_ffff))
    #expect(pair.server.goAway(code: .noError) == nil)
    let final = frames(output(of: pair.server).bytes)
    #expect(final.count == 1 && final.first?.goAwayCode == .noError)
    #expect(final.first.map { Array($0.payload.prefix(4)) } == Raw.be32(UInt32(first)))
  }

  @Test("a client's graceful GOAWAY stops new requests and lets open ones finish")
  func clientGoAway() throws {
    let pair = try H2Pair()
    let first = try pair.client.submitRequest(fields: Self.get("/1"), endStream: true).get()
    pair.pump()
    #expect(pair.client.goAway(code: .noError) == nil)
    #expect(!pair.client.canOpenStream)
    pair.pump()
    #expect(pair.takeSeen().server.contains(.goAway(0, .noError)))
    pair.server.submitResponse(stream: first, fields: block([":status: 200"]), endStream: true)
    pair.pump()
    #expect(pair.takeSeen().client.contains(.closed(first, .noError)))
    #expect(!pair.client.wantsRead && !pair.client.wantsWrite)
  }
}
