// Flow control: the receiver's consume() paces the sender (RFC 9113 §5.2, §6.9).
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 flow control")
struct H2FlowControlTests {
  static let upload = [":method: PUT", ":scheme: http", ":authority: a", ":path: /big"]

  @Test("a server that does not consume stalls the client at the stream window; consuming lets a 1 MiB body finish")
  func largeBodyPacedByConsume() throws {
    let pair = try H2Pair()
    pair.serverConsumes = false
    let total = 1 << 20
    let source = pattern(total)
    let id = try pair.client.submitRequest(fields: block(Self.upload), endStream: false).get()
    var appended = 0
    var overWindow = false
    let feedClient = {
      while appended < total && pair.client.bufferedBody(stream: id) < pair.client.outboundBodyWindow {
        let n = min(16_384, total - appended)
        source[appended..<(appended + n)].withUnsafeBytes { _ = pair.client.appendBody(stream: id, $0) }
        appended += n
        if pair.client.bufferedBody(stream: id) >= pair.client.outboundBodyWindow { overWindow = true }
      }
      if appended == total { pair.client.finishBody(stream: id, trailers: nil) }
    }
    feedClient()
    pair.pump(onRound: feedClient)

    // Stalled: exactly one stream window (SETTINGS_INITIAL_WINDOW_SIZE 65,535) got through.
    var received = body(of: id, in: pair.serverSeen)
    #expect(received.count == 65_535)
    #expect(overWindow)
    #expect(pair.client.bufferedBody(stream: id) >= pair.client.outboundBodyWindow, "the client holds the rest back")
    #expect(pair.clientSeen.contains(.writable(id)), "nghttp2 took a window's worth, which drained the buffer below half")
    #expect(!pair.client.wantsWrite, "nothing can be sent until the window reopens")

    var writableEvents = pair.clientSeen.filter { $0 == .writable(id) }.count
    var rounds = 0
    var consumed = 0
    while received.count < total && rounds < 1000 {
      rounds += 1
      let before = received.count
      pair.server.consume(stream: id, bytes: before - consumed)
      consumed = before
      pair.clientSeen = []
      pair.serverSeen = []
      pair.pump(onRound: feedClient)
      received += body(of: id, in: pair.serverSeen)
      writableEvents += pair.clientSeen.filter { $0 == .writable(id) }.count
      #expect(received.count > before, "consuming reopened the window")
    }
    #expect(received.count == total)
    #expect(received == source)
    #expect(pair.serverSeen.contains { if case .data(id, _, end: true) = $0 { true } else { false } })
    #expect(writableEvents > 2, "bodyWritable fired each time the buffer drained after being full")
    #expect(pair.clientError == nil && pair.serverError == nil)
  }

  @Test("bytes received on a stream that closes unconsumed are credited to the connection window")
  func closedStreamCreditsConnection() throws {
    // A connection window no larger than one stream's: without the credit, the second stream starves.
    let small = H2Settings(initialWindowSize: 65_535, connectionWindowSize: 65_535)
    let pair = try H2Pair(serverSettings: small)
    pair.serverConsumes = false
    let first = try pair.client.submitRequest(fields: block(Self.upload), endStream: false).get()
    pattern(60_000).withUnsafeBytes { _ = pair.client.appendBody(stream: first, $0) }
    pair.pump()
    #expect(body(of: first, in: pair.serverSeen).count == 60_000)
    pair.client.resetStream(first, code: .cancel)
    pair.pump()
    #expect(pair.serverSeen.contains(.closed(first, .cancel)))

    let second = try pair.client.submitRequest(fields: block(Self.upload), endStream: false).get()
    pattern(60_000).withUnsafeBytes { _ = pair.client.appendBody(stream: second, $0) }
    pair.client.finishBody(stream: second, trailers: nil)
    pair.pump()
    #expect(body(of: second, in: pair.serverSeen).count == 60_000)
    pair.server.consume(stream: first, bytes: 60_000)  // late: ignored, already credited
    #expect(pair.serverError == nil)
  }
}
