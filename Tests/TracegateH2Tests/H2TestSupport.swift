// Helpers for the session tests: events as comparable values, a client and a server wired back to back,
// hand-made frames and a frame splitter.
import TracegateH2
import TracegateHTTP

/// An event with its fields and payload read out, comparable in `#expect`.
enum Seen: Equatable, CustomStringConvertible {
  case headers(Int32, H2HeadersKind, [String], end: Bool)
  case tooLarge(Int32, H2HeadersKind)
  case data(Int32, [UInt8], end: Bool)
  case closed(Int32, H2ErrorCode)
  case writable(Int32)
  case goAway(Int32, H2ErrorCode)
  case settings(UInt32)

  var description: String {
    switch self {
    case .headers(let s, let k, let f, let e): "headers(\(s), \(k), \(f), end: \(e))"
    case .tooLarge(let s, let k): "tooLarge(\(s), \(k))"
    case .data(let s, let b, let e): "data(\(s), \(b.count) bytes, end: \(e))"
    case .closed(let s, let c): "closed(\(s), \(c))"
    case .writable(let s): "writable(\(s))"
    case .goAway(let s, let c): "goAway(\(s), \(c))"
    case .settings(let n): "settings(\(n))"
    }
  }
}

/// Fields as "name: value" lines.
func lines(_ block: FieldBlock) -> [String] {
  (0..<block.count).map { let f = block.field($0); return f.name + ": " + f.value }
}

/// A FieldBlock from "name: value" lines (split at the first ": " after position 0, so ":status: 200" works).
func block(_ lines: [String]) -> FieldBlock {
  var fields = FieldBlock()
  for line in lines {
    let bytes = Array(line.utf8)
    var split = 1
    while !(bytes[split] == UInt8(ascii: ":") && bytes[split + 1] == UInt8(ascii: " ")) { split += 1 }
    fields.append(name: bytes[..<split], value: bytes[(split + 2)...])
  }
  return fields
}

/// Reads out and clears a session's events; DATA is consumed right away when `consume` is set.
func drain(_ session: H2Session, consume: Bool = true) -> [Seen] {
  var seen: [Seen] = []
  for event in session.events {
    switch event {
    case .headers(let stream, let kind, let fields, let end):
      seen.append(.headers(stream, kind, lines(session.fields(fields)), end: end))
    case .headerListTooLarge(let stream, let kind):
      seen.append(.tooLarge(stream, kind))
    case .data(let stream, let payload, let end):
      seen.append(.data(stream, Array(session.payload(payload)), end: end))
      if consume { session.consume(stream: stream, bytes: payload.count) }
    case .streamClosed(let stream, let code): seen.append(.closed(stream, code))
    case .bodyWritable(let stream): seen.append(.writable(stream))
    case .goAway(let last, let code): seen.append(.goAway(last, code))
    case .remoteSettings(let max): seen.append(.settings(max))
    }
  }
  session.removeAllEvents()
  return seen
}

/// Everything `send` has for now, as bytes.
func output(of session: H2Session, limit: Int = .max) -> (bytes: [UInt8], error: H2Error?) {
  var out = IOBuffer()
  defer { out.release() }
  let error = session.send(into: &out, limit: limit)
  return (Array(out.readable), error)
}

/// Feeds bytes to a session.
func feed(_ session: H2Session, _ bytes: [UInt8]) -> H2Error? {
  bytes.withUnsafeBytes { session.receive($0) }
}

/// A client and a server session connected back to back in memory.
final class H2Pair {
  let client: H2Session
  let server: H2Session
  /// Events seen so far (drained after every delivery).
  var clientSeen: [Seen] = []
  var serverSeen: [Seen] = []
  var clientError: H2Error?
  var serverError: H2Error?
  /// Whether received DATA is consumed at once (flow-control credit given back).
  var clientConsumes = true
  var serverConsumes = true
  /// Bytes moved each way, in total.
  var clientToServer = 0
  var serverToClient = 0

  init(clientSettings: H2Settings = H2Settings(), serverSettings: H2Settings = H2Settings(),
       serverLimits: H2FloodLimits = H2FloodLimits()) throws {
    client = try H2Session(role: .client, settings: clientSettings)
    server = try H2Session(role: .server, settings: serverSettings, limits: serverLimits)
  }

  /// Moves bytes both ways until neither side has anything to send; `onRound` runs after every round.
  func pump(maxRounds: Int = 10_000, onRound: () -> Void = {}) {
    for _ in 0..<maxRounds {
      let toServer = output(of: client)
      if let error = toServer.error { clientError = clientError ?? error }
      if !toServer.bytes.isEmpty {
        clientToServer += toServer.bytes.count
        if let error = feed(server, toServer.bytes) { serverError = serverError ?? error }
      }
      serverSeen += drain(server, consume: serverConsumes)
      let toClient = output(of: server)
      if let error = toClient.error { serverError = serverError ?? error }
      if !toClient.bytes.isEmpty {
        serverToClient += toClient.bytes.count
        if let error = feed(client, toClient.bytes) { clientError = clientError ?? error }
      }
      clientSeen += drain(client, consume: clientConsumes)
      onRound()
      if toServer.bytes.isEmpty && toClient.bytes.isEmpty && !client.wantsWrite && !server.wantsWrite { return }
    }
  }

  /// Removes and returns what each side saw.
  func takeSeen() -> (client: [Seen], server: [Seen]) {
    defer { clientSeen = []; serverSeen = [] }
    return (clientSeen, serverSeen)
  }
}

/// Hand-made HTTP/2 frames (RFC 9113 §4.1), for peers that misbehave.
enum Raw {
  static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

  static func frame(_ type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
    let n = payload.count
    return [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff), type, flags,
            UInt8(stream >> 24 & 0x7f), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff)] + payload
  }

  static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

  static func settings(_ entries: [(UInt16, UInt32)] = []) -> [UInt8] {
    frame(0x4, entries.flatMap { [UInt8($0.0 >> 8), UInt8($0.0 & 0xff)] + be32($0.1) })
  }
  static let settingsAck = frame(0x4, flags: 0x1)
  static func ping(_ n: UInt8 = 0) -> [UInt8] { frame(0x6, [n, 0, 0, 0, 0, 0, 0, 0]) }
  static func rst(_ stream: UInt32, _ code: H2ErrorCode) -> [UInt8] { frame(0x3, stream: stream, be32(code.rawValue)) }
  static func data(_ stream: UInt32, _ payload: [UInt8], end: Bool = false) -> [UInt8] {
    frame(0x0, flags: end ? 0x1 : 0, stream: stream, payload)
  }
  /// HEADERS with END_HEADERS (and END_STREAM when `end`).
  static func headers(_ stream: UInt32, _ block: [UInt8] = getRequest, end: Bool = true) -> [UInt8] {
    frame(0x1, flags: 0x4 | (end ? 0x1 : 0), stream: stream, block)
  }
  /// HPACK for GET http://localhost/ (RFC 7541 static table: 2 = GET, 6 = http, 4 = /; 1 = :authority
  /// as a literal with incremental indexing).
  static let getRequest: [UInt8] = [0x82, 0x86, 0x84, 0x41, 0x09] + Array("localhost".utf8)
  /// A client's opening: preface and an empty SETTINGS.
  static let clientStart = preface + settings()
}

/// A frame as parsed back from a session's output.
struct ParsedFrame: Equatable {
  var type: UInt8
  var flags: UInt8
  var stream: UInt32
  var payload: [UInt8]

  /// GOAWAY's error code (RFC 9113 §6.8), or nil for other frames.
  var goAwayCode: H2ErrorCode? {
    guard type == 0x7, payload.count >= 8 else { return nil }
    return H2ErrorCode(rawValue: UInt32(payload[4]) << 24 | UInt32(payload[5]) << 16 | UInt32(payload[6]) << 8 | UInt32(payload[7]))
  }
}

/// Splits output into frames (skipping a client connection preface).
func frames(_ bytes: [UInt8]) -> [ParsedFrame] {
  var i = bytes.starts(with: Raw.preface) ? Raw.preface.count : 0
  var result: [ParsedFrame] = []
  while i + 9 <= bytes.count {
    let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
    guard i + 9 + n <= bytes.count else { break }
    let stream = UInt32(bytes[i + 5] & 0x7f) << 24 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 8 | UInt32(bytes[i + 8])
    result.append(ParsedFrame(type: bytes[i + 3], flags: bytes[i + 4], stream: stream, payload: Array(bytes[(i + 9)..<(i + 9 + n)])))
    i += 9 + n
  }
  return result
}

/// A deterministic body of `count` bytes.
func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }
