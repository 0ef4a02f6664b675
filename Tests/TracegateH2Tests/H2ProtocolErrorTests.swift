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
    #expect(server.failure == error)
    let out = output(of: server)
    #expect(out.error == error)
    #expect(frames(out.bytes).first?.type == 0x4, "our SETTINGS still opens the connection")
    #expect(frames(out.bytes).last?.goAwayCode == .protocolError)
    #expect(!server.wantsRead && !server.wantsWrite)
  }

  /// Input after a valid preface, answered by nghttp2 with GOAWAY and (mostly) no callback.
  struct Garbage: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var code: H2ErrorCode
    var testDescription: String { name }
  }

  static let garbage: [Garbage] = [
    Garbage(name: "PING as the first frame", input: Raw.preface + Raw.ping(), code: .protocolError),
    Garbage(name: "DATA on stream 0", input: Raw.clientStart + Raw.data(0, [1, 2, 3]), code: .protocolError),
    Garbage(name: "frame larger than SETTINGS_MAX_FRAME_SIZE",
            input: Raw.clientStart + Raw.frame(0x0, stream: 1, Array(repeating: 0, count: 20_000)), code: .frameSizeError),
    Garbage(name: "CONTINUATION without HEADERS",
            input: Raw.clientStart + Raw.frame(0x9, flags: 0x4, stream: 1, Raw.getRequest), code: .protocolError),
    Garbage(name: "HPACK garbage", input: Raw.clientStart + Raw.headers(1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), code: .compressionError),
    Garbage(name: "WINDOW_UPDATE overflowing the window",
            input: Raw.clientStart + Raw.frame(0x8, Raw.be32(0x7fff_ffff)), code: .flowControlError),
  ]

  @Test("garbage after the preface fails receive with the code nghttp2 put in its GOAWAY", arguments: garbage)
  func garbageAfterPreface(_ garbage: Garbage) throws {
    let (name, input, code) = (garbage.name, garbage.input, garbage.code)
    let server = try H2Session(role: .server)
    let error = feed(server, input)
    #expect(error?.kind == .protocolError, "\(name)")
    #expect(error?.code == code, "\(name)")
    let out = output(of: server)
    #expect(frames(out.bytes).last?.goAwayCode == code, "\(name)")
    #expect(!server.wantsRead && !server.wantsWrite)
  }

  @Test("a malformed request is reset by nghttp2 (RFC 9113 §8.1.1) without troubling the caller or the connection")
  func malformedRequestStaysSilent() throws {
    let server = try H2Session(role: .server)
    // :method GET, :scheme http, :path /, then a literal field named "X-Upper" (uppercase is malformed, §8.2.1).
    let malformed: [UInt8] = [0x82, 0x86, 0x84, 0x00, 0x07] + Array("X-Upper".utf8) + [0x01, 0x31]
    #expect(feed(server, Raw.clientStart + Raw.headers(1, malformed) + Raw.headers(3)) == nil)
    let seen = drain(server)
    #expect(seen.filter { if case .settings = $0 { false } else { true } }
      == [.headers(3, .request, [":method: GET", ":scheme: http", ":path: /", ":authority: localhost"], end: true)])
    let reset = frames(output(of: server).bytes).first { $0.type == 0x3 }
    #expect(reset?.stream == 1)
    #expect(reset.map { Array($0.payload) } == Raw.be32(H2ErrorCode.protocolError.rawValue))
    #expect(server.openStreamCount == 1)
    #expect(server.failure == nil)
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

  @Test("settings RFC 9113 forbids are refused when the session is created", arguments: [
    H2Settings(maxFrameSize: 1000), H2Settings(initialWindowSize: 1 << 31), H2Settings(connectionWindowSize: 1 << 31),
  ])
  func invalidSettings(_ settings: H2Settings) {
    #expect(throws: H2Error.self) { _ = try H2Session(role: .server, settings: settings) }
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
