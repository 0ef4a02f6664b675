// A real HTTP/2 client (nghttp, from nghttp2-client) against a server H2Session on a loopback socket.
import Foundation
import Glibc
import Testing
import TracegateH2
import TracegateHTTP
import TracegateTestSupport

@Suite("H2 session with nghttp")
struct H2NghttpClientTests {
  @Test("nghttp POSTs a body over h2c (prior knowledge) and gets it echoed in a 200")
  func echo() throws {
    let nghttp = try ExternalTool.require("nghttp")
    let listener = try LoopbackListener()
    let outcome = ServerOutcome()
    let fd = listener.fd
    let thread = Thread { outcome.finish(serveOneConnection(fd)) }
    thread.start()
    let result = try ExternalTool.run(
      nghttp, ["-d", "-", "-H", "x-test: yes", "http://127.0.0.1:\(listener.port)/echo"],
      stdin: Data("hello over h2".utf8), timeout: .seconds(20))
    let server = outcome.wait()
    #expect(result.status == 0, "nghttp: \(result.stderr)")
    #expect(result.stdoutText == "POST /echo x-test=yes: hello over h2")
    #expect(server == nil, "server side: \(server ?? "")")
  }
}

/// Accepts one connection and answers every request with "METHOD PATH x-test=VALUE: BODY" until the
/// session is done or the peer closes. Returns a description of what went wrong, or nil.
private func serveOneConnection(_ listener: Int32) -> String? {
  let fd = accept(listener, nil, nil)
  guard fd >= 0 else { return "accept: errno \(errno)" }
  defer { close(fd) }
  var timeout = timeval(tv_sec: 10, tv_usec: 0)
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  let session: H2Session
  do { session = try H2Session(role: .server) } catch { return "\(error)" }
  var requests: [Int32: (head: String, body: [UInt8])] = [:]
  var out = IOBuffer()
  defer { out.release() }
  var input = [UInt8](repeating: 0, count: 16_384)
  while session.wantsRead || session.wantsWrite {
    _ = session.send(into: &out, limit: 1 << 20)
    while !out.isEmpty {
      let n = out.readable.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { return "write: errno \(errno)" }
      out.moveReaderIndex(by: n)
    }
    guard session.wantsRead else { continue }
    let n = input.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n == 0 { return nil }  // nghttp closes after its GOAWAY
    guard n > 0 else { return "read: errno \(errno)" }
    if let error = input[..<n].withUnsafeBytes({ session.receive($0) }) { return "receive: \(error)" }
    for event in session.events {
      switch event {
      case .headers(let stream, .request, let ref, let end):
        let fields = session.fields(ref)
        requests[stream] = ("\(fields.value(of: ":method") ?? "?") \(fields.value(of: ":path") ?? "?") x-test=\(fields.value(of: "x-test") ?? "-")", [])
        if end { respond(session, stream, requests[stream]!) }
      case .data(let stream, let payload, let end):
        requests[stream]?.body += session.payload(payload)
        session.consume(stream: stream, bytes: payload.count)
        if end, let request = requests[stream] { respond(session, stream, request) }
      default:
        break
      }
    }
    session.removeAllEvents()
  }
  return nil
}

private func respond(_ session: H2Session, _ stream: Int32, _ request: (head: String, body: [UInt8])) {
  var fields = FieldBlock()
  fields.append(name: ":status", value: "200")
  fields.append(name: "content-type", value: "text/plain")
  session.submitResponse(stream: stream, fields: fields, endStream: false)
  Array((request.head + ": ").utf8 + request.body).withUnsafeBytes { _ = session.appendBody(stream: stream, $0) }
  session.finishBody(stream: stream, trailers: nil)
}

/// A listening socket on 127.0.0.1 with a kernel-chosen port.
private final class LoopbackListener {
  let fd: Int32
  let port: Int

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard fd >= 0, bound else {
      close(fd)
      throw POSIXError(.EADDRNOTAVAIL)
    }
    self.fd = fd
    port = Int(UInt16(bigEndian: address.sin_port))
  }

  deinit { close(fd) }
}

/// The server thread's result, handed to the test thread.
private final class ServerOutcome: @unchecked Sendable {
  private let condition = NSCondition()
  private var done = false
  private var failure: String?

  func finish(_ failure: String?) {
    condition.lock()
    self.failure = failure
    done = true
    condition.signal()
    condition.unlock()
  }

  func wait() -> String? {
    condition.lock()
    defer { condition.unlock() }
    let deadline = Date(timeIntervalSinceNow: 20)
    while !done { if !condition.wait(until: deadline) { return "server thread did not finish" } }
    return failure
  }
}
