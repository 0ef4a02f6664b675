// Seeded randomised round trips of the translators through the HTTP/1.1 parser.
import Testing
import TracegateHTTP

/// Random fields that no translation rule treats specially.
private struct FieldGenerator {
  var rng: SeededGenerator

  /// Lower-case `tchar`s (RFC 9110 §5.6.2).
  static let nameBytes: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~".utf8)
  /// Names that some rule treats specially; generated names that hit one are replaced.
  static let special: Set<String> = [
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te",
    "trailer", "upgrade", "cookie", "expect",
  ]

  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

  mutating func name(upperCase: Bool = false) -> [UInt8] {
    var out = (0..<int(1...12)).map { _ in Self.nameBytes[int(0...Self.nameBytes.count - 1)] }
    if Self.special.contains(String(decoding: out, as: UTF8.self)) { out = Array("x-special".utf8) }
    if upperCase { out = out.map { $0 >= 0x61 && $0 <= 0x7A && Bool.random(using: &rng) ? $0 - 0x20 : $0 } }
    return out
  }

  /// A value of VCHAR / obs-text with inner SP and HTAB, never starting or ending with whitespace.
  mutating func value() -> [UInt8] {
    let length = int(0...40)
    var out: [UInt8] = []
    for k in 0..<length {
      let inner = k > 0 && k < length - 1
      switch int(0...9) {
      case 0 where inner: out.append(0x20)
      case 1 where inner: out.append(0x09)
      case 2: out.append(UInt8(int(0x80...0xFF)))
      default: out.append(UInt8(int(0x21...0x7E)))
      }
    }
    return out
  }

  /// An origin-form path of visible ASCII.
  mutating func path() -> [UInt8] {
    [0x2F] + (0..<int(0...30)).map { _ in UInt8(int(0x21...0x7E)) }
  }

  /// A reg-name authority with an optional port.
  mutating func authority() -> [UInt8] {
    let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-.".utf8)
    var out = (0..<int(1...20)).map { _ in letters[int(0...letters.count - 1)] }
    if Bool.random(using: &rng) { out += Array(":\(int(1...65535))".utf8) }
    return out
  }
}

@Suite("Translation: randomised round trips")
struct TranslationPropertyTests {
  static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "PROPFIND", "M-SEARCH"]

  @Test("HTTP/2 request blocks translate to heads that parse to the same request", arguments: 0..<4)
  func requests(seed: UInt64) throws {
    var gen = FieldGenerator(rng: SeededGenerator(seed: 0xC0FFEE &+ seed))
    for _ in 0..<150 {
      let method = Self.methods[gen.int(0...Self.methods.count - 1)]
      let path = gen.path()
      let authority = gen.authority()
      var block = FieldBlock()
      block.append(name: Array(":method".utf8), value: Array(method.utf8))
      block.append(name: Array(":scheme".utf8), value: Array("https".utf8))
      let authorityAsField = gen.int(0...3) == 0
      if !authorityAsField { block.append(name: Array(":authority".utf8), value: authority) }
      block.append(name: Array(":path".utf8), value: path)

      var expected: [([UInt8], [UInt8])] = []
      if !authorityAsField { expected.append((Array("host".utf8), authority)) }
      var cookies: [[UInt8]] = []
      var cookieSlot = -1
      let length: UInt64? = gen.int(0...2) == 0 ? UInt64(gen.int(0...100_000)) : nil
      let fieldCount = gen.int(0...25)
      let hostAt = authorityAsField ? gen.int(0...fieldCount) : -1
      let lengthAt = length != nil ? gen.int(0...fieldCount) : -1
      for k in 0...fieldCount {
        if k == hostAt {
          block.append(name: Array("host".utf8), value: authority)
          expected.append((Array("host".utf8), authority))
        }
        if k == lengthAt, let length {
          block.append(name: Array("content-length".utf8), value: Array("\(length)".utf8))
          expected.append((Array("content-length".utf8), Array("\(length)".utf8)))
        }
        if k == fieldCount { break }
        if gen.int(0...5) == 0 {
          let crumb = Array("c\(k)=".utf8) + gen.value().filter { $0 != 0x3B && $0 > 0x20 }
          block.append(name: Array("cookie".utf8), value: crumb)
          if cookieSlot < 0 {
            cookieSlot = expected.count
            expected.append((Array("cookie".utf8), []))
          }
          cookies.append(crumb)
        } else {
          let name = gen.name()
          let value = gen.value()
          block.append(name: name, value: value)
          expected.append((name, value))
        }
      }
      if cookieSlot >= 0 { expected[cookieSlot].1 = Array(cookies.joined(separator: Array("; ".utf8))) }

      let endStream = length.map { $0 == 0 } ?? Bool.random(using: &gen.rng)
      let translated = try #require(translateRequest(block, endStream: endStream).value)
      let bytes = translated.bytes
      let head = try #require(parseRequest(bytes).head, "\(translated.text)")
      #expect(Array(bytes[head.methodRange.start..<head.methodRange.end]) == Array(method.utf8))
      #expect(Array(bytes[head.target.start..<head.target.end]) == path)
      var parsed = head.headers.map {
        (Array(bytes[$0.name.start..<$0.name.end]), Array(bytes[$0.value.start..<$0.value.end]))
      }
      switch translated.body {
      case .chunked:
        #expect(head.framing == .chunked)
        let last = parsed.removeLast()
        #expect(String(decoding: last.0, as: UTF8.self) == "transfer-encoding")
      case .contentLength(let n):
        #expect(head.framing == .contentLength(n))
        #expect(n == length)
      case .none:
        #expect(head.framing == .none)
        #expect(endStream)
      }
      #expect(parsed.map { Field(String(decoding: $0.0, as: UTF8.self), String(decoding: $0.1, as: UTF8.self)) }
        == expected.map { Field(String(decoding: $0.0, as: UTF8.self), String(decoding: $0.1, as: UTF8.self)) })
      #expect(parsed.elementsEqual(expected) { $0.0 == $1.0 && $0.1 == $1.1 })
    }
  }

  @Test("an upper-case letter anywhere in a random name is refused", arguments: 0..<4)
  func upperCaseNames(seed: UInt64) {
    var gen = FieldGenerator(rng: SeededGenerator(seed: 0xABCD &+ seed))
    for _ in 0..<200 {
      let name = gen.name(upperCase: true)
      let block = makeBlock(bytes: requestFields().map { (Array($0.0.utf8), Array($0.1.utf8)) } + [(name, [0x61])])
      let hasUpper = name.contains { $0 >= 0x41 && $0 <= 0x5A }
      let error = translateRequest(block, endStream: true).failure
      #expect((error?.kind == .uppercaseFieldName) == hasUpper)
      #expect((error == nil) == !hasUpper)
    }
  }

  @Test("HTTP/2 response blocks translate to heads that parse to the same response", arguments: 0..<4)
  func responses(seed: UInt64) throws {
    var gen = FieldGenerator(rng: SeededGenerator(seed: 0xBEEF &+ seed))
    for _ in 0..<150 {
      let status = [100, 103, 200, 201, 204, 206, 299, 301, 304, 404, 418, 500, 599][gen.int(0...12)]
      let method: HTTPMethod = gen.int(0...4) == 0 ? .head : .get
      var block = FieldBlock()
      block.append(name: Array(":status".utf8), value: Array("\(status)".utf8))
      var expected: [Field] = []
      for _ in 0..<gen.int(0...20) {
        let name = gen.name()
        let value = gen.value()
        block.append(name: name, value: value)
        expected.append(Field(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
      }
      let endStream = status >= 200 && Bool.random(using: &gen.rng)
      let translated = try #require(translateResponse(block, endStream: endStream, method: method).value)
      let bytes = translated.bytes
      let head = try #require(parseResponse(bytes, method: method).head, "\(translated.text)")
      #expect(head.statusCode == status)
      #expect(translated.body.status == status)
      var parsed = head.headers.map {
        Field(String(decoding: bytes[$0.name.start..<$0.name.end], as: UTF8.self),
              String(decoding: bytes[$0.value.start..<$0.value.end], as: UTF8.self))
      }
      switch translated.body.body {
      case .chunked:
        #expect(parsed.removeLast() == Field("transfer-encoding", "chunked"))
        #expect(head.framing == .chunked)
      case .contentLength(let n):
        #expect(parsed.removeLast() == Field("content-length", "\(n)"))
        #expect(head.framing == .contentLength(n))
      case .none:
        #expect(head.framing == .none)
      }
      #expect(parsed == expected)
    }
  }

  @Test("HTTP/1.1 responses translate to blocks with the same fields, names lower-cased", arguments: 0..<4)
  func http1Responses(seed: UInt64) throws {
    var gen = FieldGenerator(rng: SeededGenerator(seed: 0xF00D &+ seed))
    for _ in 0..<150 {
      let status = [200, 201, 202, 203, 404, 500][gen.int(0...5)]
      var text = "HTTP/1.1 \(status) Whatever\r\n"
      var expected = [Field(":status", "\(status)")]
      let lengthAt = gen.int(0...5)
      for k in 0..<gen.int(1...20) {
        if k == lengthAt {
          text += "Content-Length: 3\r\n"
          expected.append(Field("content-length", "3"))
          continue
        }
        let name = gen.name(upperCase: true)
        let value = gen.value()
        let padding = ["", " ", "\t ", "  "][gen.int(0...3)]
        text += String(decoding: name, as: UTF8.self) + ":" + padding
        text += String(decoding: value, as: UTF8.self) + padding + "\r\n"
        expected.append(
          Field(String(decoding: name, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self)))
      }
      text += "\r\n"
      let bytes = Array(text.utf8)
      let head = try #require(parseResponse(bytes).head)
      var block = FieldBlock()
      let follows = bytes.withUnsafeBytes { H2ResponseTranslator.writeHeaderBlock(head, from: $0, into: &block) }
      #expect(follows == head.framing.isBodyFollowing)
      let got = (0..<block.count).map { i in
        block.withField(i) { n, v in Field(String(decoding: n, as: UTF8.self), String(decoding: v, as: UTF8.self)) }
      }
      #expect(got == expected)
    }
  }
}

extension BodyFraming {
  /// Whether DATA frames follow (the rule ``H2ResponseTranslator`` applies).
  fileprivate var isBodyFollowing: Bool {
    switch self {
    case .none, .contentLength(0): return false
    default: return true
    }
  }
}
