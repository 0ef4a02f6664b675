// A complete response before the request's end (RFC 9113 §8.1): the response goes out whole, then
// RST_STREAM(NO_ERROR) stops the rest of the request.
import Testing
import TracegateH2
import TracegateHTTP

@Suite("H2 early response")
struct H2EarlyResponseTests {
  @Test("discardRequest lets the queued response out before RST_STREAM(NO_ERROR), and drops later DATA")
  func responseBeforeTheRequestEnds() throws {
    let pair = try H2Pair()
    let request = block([":method: POST", ":scheme: http", ":authority: a", ":path: /upload"])
    let id = try pair.client.submitRequest(fields: request, endStream: false).get()
    #expect(append(pair.client, id, "the first part of a long upload"))
    pair.pump()
    _ = pair.takeSeen()
    // The server answers at once and gives up on the rest, in the same turn, before sending anything.
    #expect(pair.server.submitResponse(stream: id, fields: block([":status: 200"]), endStream: false) == nil)
    #expect(append(pair.server, id, "done"))
    #expect(pair.server.finishBody(stream: id, trailers: nil))
    pair.server.discardRequest(stream: id)
    pair.pump()
    let seen = pair.takeSeen()
    #expect(seen.client == [.headers(id, .response, [":status: 200"], end: false), .data(id, Array("done".utf8), end: true),
                          .closed(id, .noError)],
            "the whole response, then the reset: \(seen.client)")
    #expect(!append(pair.client, id, "more"), "the client's stream is closed")
    #expect(pair.server.openStreamCount == 0)
  }
}
