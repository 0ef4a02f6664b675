// Hop-by-hop fields and Connection options (RFC 9110 §7.6.1), upgrade tunnelling (§7.8).
import Testing
import TracegateHTTP

@Suite("Connection handling")
struct ConnectionTests {
  @Test("hop-by-hop fields are marked drop; end-to-end fields are kept")
  func hopByHop() throws {
    let text = """
      GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n\
      TE: trailers\r\nTrailer: X-Sum\r\nUpgrade: h2c\r\nTraceparent: 00-x\r\nCookie: c=1\r\n\r\n
      """
    let head = try #require(parseRequest(text).head)
    #expect(
      droppedNames(head.headers, text) == ["Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade"])
    #expect(keptFields(head.headers, text) == ["Host: a", "Traceparent: 00-x", "Cookie: c=1"])
    #expect(!head.upgrade)  // Connection does not list upgrade
  }

  @Test("fields named by Connection are dropped, compared case-insensitively, across several Connection fields")
  func namedFields() throws {
    let text = """
      GET / HTTP/1.1\r\nHost: a\r\nConnection: X-Secret , x-other\r\nconnection: Foo\r\nX-SECRET: 1\r\n\
      X-Other: 2\r\nfoo: 3\r\nX-Kept: 4\r\nX-Secret-Not: 5\r\n\r\n
      """
    let head = try #require(parseRequest(text).head)
    #expect(droppedNames(head.headers, text) == ["Connection", "connection", "X-SECRET", "X-Other", "foo"])
    #expect(keptFields(head.headers, text) == ["Host: a", "X-Kept: 4", "X-Secret-Not: 5"])
  }

  @Test("Connection options never drop Host, Content-Length or Transfer-Encoding")
  func protectedFields() throws {
    let text = "POST / HTTP/1.1\r\nHost: a\r\nConnection: host, content-length\r\nContent-Length: 3\r\n\r\n"
    let head = try #require(parseRequest(text).head)
    #expect(keptFields(head.headers, text) == ["Host: a", "Content-Length: 3"])
    let chunked = "POST / HTTP/1.1\r\nHost: a\r\nConnection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n"
    let chunkedHead = try #require(parseRequest(chunked).head)
    #expect(keptFields(chunkedHead.headers, chunked) == ["Host: a", "Transfer-Encoding: chunked"])
  }

  @Test("websocket upgrade keeps Connection and Upgrade un-dropped")
  func websocketUpgrade() throws {
    let text = """
      GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade, X-Private\r\nUpgrade: websocket\r\n\
      X-Private: 1\r\nSec-WebSocket-Key: k\r\n\r\n
      """
    let head = try #require(parseRequest(text).head)
    #expect(head.upgrade)
    #expect(head.keepAlive)
    #expect(droppedNames(head.headers, text) == ["X-Private"])
    #expect(keptFields(head.headers, text).contains("Upgrade: websocket"))
    #expect(keptFields(head.headers, text).contains("Connection: keep-alive, Upgrade, X-Private"))
  }

  @Test("upgrade needs both the option and the field, and HTTP/1.1")
  func upgradeConditions() {
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n").head?.upgrade == false)
    #expect(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n").head?.upgrade == false)
    #expect(parseRequest("GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n").head?.upgrade == false)
    #expect(
      parseRequest("GET / HTTP/1.1\r\nHost: a\r\nConnection: UPGRADE\r\nUpgrade: websocket\r\n\r\n").head?.upgrade
        == true)
  }
}
