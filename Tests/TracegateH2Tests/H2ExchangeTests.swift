// Requests and responses between a client and a server session, with bodies and trailers.
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 exchange")
struct H2ExchangeTests {
  static let post = [":method: POST", ":scheme: https", ":authority: example.test", ":path: /upload", "content-type: text/plain"]

  @Test("request and response with bodies both ways; both sides see the stream close")
  func bodiesBothWays() throws {
    let pair = try H2Pair()
    let id = try pair.client.submitRequest(fields: block(Self.post), endStream: false).get()
    #expect(id == 1)
    #expect(append(pair.client, id, "hello "))
    #expect(append(pair.client, id, "hello "))
    pair.pump()
    var seen = pair.takeSeen()
    #expect(seen.server.contains(.settings(128)))
    #expect(seen.server.contains(.headers(1, .request, Self.post, end: false)))
    #expect(body(of: 1, in: seen.server) == Array("hello hello ".utf8))
    #expect(!seen.server.contains { if case .data(_, _, end: true) = $0 { true } else { false } })

    #expect(append(pair.client, id, "world"))
    #expect(pair.client.finishBody(stream: id, trailers: nil))
    #expect(!append(pair.client, id, "more"), "a finished body takes no more")
    pair.pump()
    seen = pair.takeSeen()
    #expect(body(of: 1, in: seen.server) == Array("world".utf8))
    #expect(seen.server.last == .data(1, [], end: true) || seen.server.contains(.data(1, Array("world".utf8), end: true)))

    pair.server.setToken(42, for: 1)
    #expect(pair.server.token(for: 1) == 42)
    #expect(pair.server.submitResponse(stream: 1, fields: block([":status: 200", "content-type: text/plain"]), endStream: false) == nil)
    #expect(append(pair.server, 1, "response body"))
    pair.server.finishBody(stream: 1, trailers: nil)
    pair.pump()
    seen = pair.takeSeen()
    #expect(seen.client.contains(.headers(1, .response, [":status: 200", "content-type: text/plain"], end: false)))
    #expect(body(of: 1, in: seen.client) == Array("response body".utf8))
    #expect(seen.client.last == .closed(1, .noError))
    #expect(seen.server.last == .closed(1, .noError))
    #expect(pair.server.token(for: 1) == nil, "closing forgets the token")
    #expect(pair.client.openStreamCount == 0 && pair.server.openStreamCount == 0)
    #expect(pair.clientError == nil && pair.serverError == nil)
  }

  @Test("a request without body ends on HEADERS; a response without body too")
  func noBodies() throws {
    let pair = try H2Pair()
    let get = [":method: GET", ":scheme: https", ":authority: example.test", ":path: /"]
    let id = try pair.client.submitRequest(fields: block(get), endStream: true).get()
    #expect(!append(pair.client, id, "x"), "no body after END_STREAM")
    pair.pump()
    var seen = pair.takeSeen()
    #expect(seen.server.contains(.headers(1, .request, get, end: true)))
    pair.server.submitResponse(stream: 1, fields: block([":status: 204"]), endStream: true)
    pair.pump()
    seen = pair.takeSeen()
    #expect(seen.client == [.headers(1, .response, [":status: 204"], end: true), .closed(1, .noError)])
    #expect(seen.server == [.closed(1, .noError)])
  }

  @Test("gRPC shape: request trailers, then response HEADERS, DATA and trailing HEADERS with grpc-status")
  func trailersBothWays() throws {
    let pair = try H2Pair()
    let request = [":method: POST", ":scheme: http", ":authority: grpc.test", ":path: /pkg.Svc/Call",
                   "content-type: application/grpc", "te: trailers"]
    let id = try pair.client.submitRequest(fields: block(request), endStream: false).get()
    let message: [UInt8] = [0, 0, 0, 0, 3, 1, 2, 3]
    message.withUnsafeBytes { _ = pair.client.appendBody(stream: id, $0) }
    pair.client.finishBody(stream: id, trailers: block(["x-request-checksum: abc"]))
    pair.pump()
    var seen = pair.takeSeen()
    let serverStream = seen.server.filter { if case .settings = $0 { false } else { true } }
    #expect(serverStream == [
      .headers(1, .request, request, end: false),
      .data(1, message, end: false),
      .headers(1, .trailers, ["x-request-checksum: abc"], end: true),
    ])

    pair.server.submitResponse(stream: 1, fields: block([":status: 200", "content-type: application/grpc"]), endStream: false)
    message.withUnsafeBytes { _ = pair.server.appendBody(stream: 1, $0) }
    pair.server.finishBody(stream: 1, trailers: block(["grpc-status: 0", "grpc-message: ok"]))
    pair.pump()
    seen = pair.takeSeen()
    let clientStream = seen.client.filter { if case .settings = $0 { false } else { true } }
    #expect(clientStream == [
      .headers(1, .response, [":status: 200", "content-type: application/grpc"], end: false),
      .data(1, message, end: false),
      .headers(1, .trailers, ["grpc-status: 0", "grpc-message: ok"], end: true),
      .closed(1, .noError),
    ])
  }

  @Test("gRPC trailers-only: a body finished empty with trailers sends just HEADERS then trailing HEADERS")
  func emptyBodyWithTrailers() throws {
    let pair = try H2Pair()
    _ = try pair.client.submitRequest(fields: block([":method: POST", ":scheme: http", ":authority: a", ":path: /x"]), endStream: true).get()
    pair.pump()
    _ = pair.takeSeen()
    pair.server.submitResponse(stream: 1, fields: block([":status: 200"]), endStream: false)
    pair.server.finishBody(stream: 1, trailers: block(["grpc-status: 5"]))
    pair.pump()
    let seen = pair.takeSeen()
    #expect(seen.client == [
      .headers(1, .response, [":status: 200"], end: false),
      .headers(1, .trailers, ["grpc-status: 5"], end: true),
      .closed(1, .noError),
    ])
  }

  @Test("103 Early Hints arrive as informational before the final response")
  func informational() throws {
    let pair = try H2Pair()
    _ = try pair.client.submitRequest(fields: block([":method: GET", ":scheme: http", ":authority: a", ":path: /"]), endStream: true).get()
    pair.pump()
    _ = pair.takeSeen()
    #expect(pair.server.submitInformational(stream: 1, fields: block([":status: 103", "link: </s.css>; rel=preload"])) == nil)
    pair.server.submitResponse(stream: 1, fields: block([":status: 200"]), endStream: true)
    pair.pump()
    #expect(pair.takeSeen().client == [
      .headers(1, .informational, [":status: 103", "link: </s.css>; rel=preload"], end: false),
      .headers(1, .response, [":status: 200"], end: true),
      .closed(1, .noError),
    ])
  }

  @Test("resetting a stream closes it on both sides with the code")
  func reset() throws {
    let pair = try H2Pair()
    let id = try pair.client.submitRequest(fields: block(Self.post), endStream: false).get()
    pair.pump()
    _ = pair.takeSeen()
    pair.client.resetStream(id, code: .cancel)
    pair.pump()
    let seen = pair.takeSeen()
    #expect(seen.client == [.closed(1, .cancel)])
    #expect(seen.server == [.closed(1, .cancel)])
    #expect(pair.server.submitResponse(stream: 1, fields: block([":status: 200"]), endStream: true) != nil, "the stream is gone")
  }

  @Test("many streams interleave; events and field blocks are recycled between rounds")
  func manyStreams() throws {
    let pair = try H2Pair()
    for i in 0..<50 {
      _ = try pair.client.submitRequest(fields: block([":method: GET", ":scheme: http", ":authority: a", ":path: /\(i)"]), endStream: true).get()
    }
    pair.pump()
    let requests = pair.takeSeen().server.compactMap { seen -> Int32? in
      if case .headers(let stream, .request, let fields, true) = seen, fields[3] == ":path: /\((stream - 1) / 2)" { return stream }
      return nil
    }
    #expect(requests.count == 50)
    for stream in requests {
      pair.server.submitResponse(stream: stream, fields: block([":status: 200"]), endStream: false)
      Array(repeating: UInt8(stream), count: 1000).withUnsafeBytes { _ = pair.server.appendBody(stream: stream, $0) }
      pair.server.finishBody(stream: stream, trailers: nil)
    }
    pair.pump()
    let seen = pair.takeSeen().client
    for stream in requests {
      #expect(body(of: stream, in: seen) == Array(repeating: UInt8(stream), count: 1000))
      #expect(seen.contains(.closed(stream, .noError)))
    }
  }
}

/// Appends text to a stream's outbound body.
func append(_ session: H2Session, _ stream: Int32, _ text: String) -> Bool {
  Array(text.utf8).withUnsafeBytes { session.appendBody(stream: stream, $0) }
}

/// The DATA payload of `stream` in `seen`, concatenated.
func body(of stream: Int32, in seen: [Seen]) -> [UInt8] {
  seen.flatMap { seen -> [UInt8] in if case .data(stream, let bytes, _) = seen { bytes } else { [] } }
}
