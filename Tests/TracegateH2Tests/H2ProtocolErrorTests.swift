// Peers that do not speak HTTP/2 properly: connection error, GOAWAY, error from receive (RFC 9113 §5.4.1).
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 protocol errors")
struct H2ProtocolErrorTests {
  @Test("an HTTP/1.1 request instead of the connection preface (RFC 9113 §3.4)")
  func invalidPreface() throws {
    let server = try H2Session(role: .server)
    let error = feed(server, Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
    #expect(error == H2Error(kind: .protocolError, code: .protocolError, reason: "invalid connection preface"))
    let out = output(of: server)
    #expect(out.error == error)
    #expect(frames(out.bytes).first?.type == 0x4, "our SETTINGS still opens the connection")
    #expect(frames(out.bytes).last?.goAwayCode == .protocolError)
    #expect(!server.wantsRead && !server.wantsWrite)
  }

  /// Input after a valid preface and SETTINGS, answered by nghttp2 with GOAWAY and no callback.
  static let garbage: [(String, [UInt8], H2ErrorCode)] = [
    ("PING as the first frame", Raw.preface + Raw.ping(), .protocolError),
    ("DATA on stream 0", Raw.clientStart + Raw.data(0, [1, 2, 3]), .protocolError),
    ("frame larger than SETTINGS_MAX_FRAME_SIZE", Raw.clientStart + Raw.frame(0x0, stream: 1, Array(repeating: 0, count: 20_000)), .frameSizeError),
    ("CONTINUATION without HEADERS", Raw.clientStart + Raw.frame(0x9, flags: 0x4, stream: 1, Raw.getRequest), .protocolError),
    ("HPACK garbage", Raw.clientStart + Raw.headers(1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), .compressionError),
    ("WINDOW_UPDATE overflowing the window", Raw.clientStart + Raw.frame(0x8, Raw.be32(0x7fff_ffff)), .flowControlError),
  ]

  @Test("garbage after the preface fails receive with the code nghttp2 put in its GOAWAY", arguments: garbage)
  func garbageAfterPreface(name: String, input: [UInt8], code: H2ErrorCode) throws {
    let server = try H2Session(role: .server)
    let error = feed(server, input)
    #expect(error?.kind == .protocolError, "\(name)")
    #expect(error?.code == code, "\(name)")
    let out = output(of: server)
    #expect(frames(out.bytes).last?.goAwayCode == code, "\(name)")
    #expect(!server.wantsRead && !server.wantsWrite)
  }

  @Test("a client talking to something that is not an HTTP/2 server")
  func clientGetsGarbage() throws {
    let client = try H2Session(role: .client)
    _ = output(of: client)
    let error = feed(client, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
    #expect(error?.kind == .protocolError)
    let out = output(of: client)
    #expect(frames(out.bytes).last?.goAwayCode == error?.code)
  }

  @Test("input split at every byte gives the same events as in one piece")
  func byteAtATime() throws {
    let pair = try H2Pair()
    _ = try pair.client.submitRequest(fields: block([":method: GET", ":scheme: http", ":authority: a", ":path: /x"]), endStream: true).get()
    let bytes = output(of: pair.client).bytes
    var seen: [Seen] = []
    for byte in bytes {
      #expect(feed(pair.server, [byte]) == nil)
      seen += drain(pair.server)
    }
    #expect(seen.contains(.headers(1, .request, [":method: GET", ":scheme: http", ":authority: a", ":path: /x"], end: true)))
  }
}
