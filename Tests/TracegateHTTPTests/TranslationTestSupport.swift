// Helpers shared by the HTTP/2 <-> HTTP/1.1 translation tests.
import TracegateHTTP

/// A field as text, comparable in `#expect`.
struct Field: Equatable, CustomStringConvertible {
  var name: String
  var value: String
  init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
  var description: String { "\(name): \(value)" }
}

/// Builds a block from text fields (names and values are taken byte for byte).
func makeBlock(_ fields: [(String, String)]) -> FieldBlock {
  var block = FieldBlock()
  for (name, value) in fields { block.append(name: Array(name.utf8), value: Array(value.utf8)) }
  return block
}

/// Builds a block from raw byte fields.
func makeBlock(bytes fields: [([UInt8], [UInt8])]) -> FieldBlock {
  var block = FieldBlock()
  for (name, value) in fields { block.append(name: name, value: value) }
  return block
}

/// The fields of a block as text.
func fields(of block: FieldBlock) -> [Field] {
  (0..<block.count).map { block.field($0) }.map { Field($0.name, $0.value) }
}

/// The fields of a parsed head as text, dropped ones included.
func allFields(_ headers: [HeaderField], _ text: String) -> [Field] {
  headers.map { Field(slice($0.name, text), slice($0.value, text)) }
}

/// The readable bytes of a buffer as text.
func text(of buffer: IOBuffer) -> String {
  String(decoding: buffer.readable, as: UTF8.self)
}

/// The pseudo-header fields of an ordinary request, with `extra` regular fields after them.
func requestFields(
  method: String = "GET", scheme: String = "https", authority: String? = "example.com", path: String = "/",
  _ extra: [(String, String)] = []
) -> [(String, String)] {
  var out: [(String, String)] = [(":method", method), (":scheme", scheme)]
  if let authority { out.append((":authority", authority)) }
  out.append((":path", path))
  return out + extra
}

/// What a translation into HTTP/1.1 produced.
struct Translated<Body: Equatable>: Equatable {
  /// The head's bytes exactly (``text`` decodes obs-text lossily).
  var bytes: [UInt8]
  var body: Body
  /// The head as text, for readable expectations.
  var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Runs ``H2RequestTranslator`` on text fields.
func translateRequest(
  _ fieldList: [(String, String)], endStream: Bool
) -> Result<Translated<TranslatedBody>, H2TranslationError> {
  translateRequest(makeBlock(fieldList), endStream: endStream)
}

/// Runs ``H2RequestTranslator`` on a block; on error also checks that nothing was left in the buffer.
func translateRequest(_ block: FieldBlock, endStream: Bool) -> Result<Translated<TranslatedBody>, H2TranslationError> {
  var out = IOBuffer()
  defer { out.release() }
  do throws(H2TranslationError) {
    let body = try H2RequestTranslator.writeHTTP1Head(block, endStream: endStream, into: &out)
    return .success(Translated(bytes: Array(out.readable), body: body))
  } catch {
    precondition(out.readableBytes == 0, "a failed translation left bytes behind")
    return .failure(error)
  }
}

/// Runs ``H2UpstreamResponseTranslator`` on text fields.
func translateResponse(
  _ fieldList: [(String, String)], endStream: Bool, method: HTTPMethod = .get
) -> Result<Translated<TranslatedResponseHead>, H2TranslationError> {
  translateResponse(makeBlock(fieldList), endStream: endStream, method: method)
}

/// Runs ``H2UpstreamResponseTranslator`` on a block.
func translateResponse(
  _ block: FieldBlock, endStream: Bool, method: HTTPMethod = .get
) -> Result<Translated<TranslatedResponseHead>, H2TranslationError> {
  var out = IOBuffer()
  defer { out.release() }
  do throws(H2TranslationError) {
    let head = try H2UpstreamResponseTranslator.writeHTTP1Head(
      block, endStream: endStream, requestMethod: method, into: &out)
    return .success(Translated(bytes: Array(out.readable), body: head))
  } catch {
    precondition(out.readableBytes == 0, "a failed translation left bytes behind")
    return .failure(error)
  }
}

extension Result {
  /// The success value, or nil.
  var value: Success? {
    if case .success(let v) = self { return v }
    return nil
  }

  /// The error, or nil.
  var failure: Failure? {
    if case .failure(let e) = self { return e }
    return nil
  }
}

/// Parses an HTTP/1.1 response head from text and translates it for an HTTP/2 client.
func responseBlock(_ text: String, method: HTTPMethod = .get) -> (block: FieldBlock, bodyFollows: Bool)? {
  guard let head = parseResponse(text, method: method).head else { return nil }
  var block = FieldBlock()
  let follows = Array(text.utf8).withUnsafeBytes { raw in
    H2ResponseTranslator.writeHeaderBlock(head, from: raw, into: &block)
  }
  return (block, follows)
}

/// Parses an HTTP/1.1 request head from text and translates it for an HTTP/2 upstream.
func upstreamRequestBlock(
  _ text: String, scheme: HTTPScheme = .https
) -> Result<(block: FieldBlock, bodyFollows: Bool), H2TranslationError>? {
  guard let head = parseRequest(text).head else { return nil }
  var block = FieldBlock()
  return Array(text.utf8).withUnsafeBytes { raw in
    do throws(H2TranslationError) {
      let follows = try H2UpstreamRequestTranslator.writeHeaderBlock(head, from: raw, scheme: scheme, into: &block)
      return .success((block, follows))
    } catch {
      return .failure(error)
    }
  }
}
