// Helpers shared by the TracegateHTTP tests: parse strings or byte arrays and read ranges back as text.
import TracegateHTTP

/// The outcome of a parse, comparable in `#expect`.
enum Outcome<Head: Equatable>: Equatable {
  case complete(Head)
  case incomplete
  case failed(HTTPParseError.Kind)

  var head: Head? {
    if case .complete(let head) = self { return head }
    return nil
  }

  var error: HTTPParseError.Kind? {
    if case .failed(let kind) = self { return kind }
    return nil
  }

  var isIncomplete: Bool { self == .incomplete }
}

/// Parses a request from bytes.
func parseRequest(_ bytes: [UInt8], limits: HeadLimits = HeadLimits()) -> Outcome<RequestHead> {
  var head = RequestHead()
  return bytes.withUnsafeBytes { raw in
    do throws(HTTPParseError) {
      let status = try HeadParser.parseRequest(raw, limits: limits, into: &head)
      return status == .complete ? .complete(head) : .incomplete
    } catch {
      return .failed(error.kind)
    }
  }
}

/// Parses a request from text (use `\r\n` explicitly).
func parseRequest(_ text: String, limits: HeadLimits = HeadLimits()) -> Outcome<RequestHead> {
  parseRequest(Array(text.utf8), limits: limits)
}

/// Parses a response from bytes.
func parseResponse(
  _ bytes: [UInt8], method: HTTPMethod = .get, limits: HeadLimits = HeadLimits()
) -> Outcome<ResponseHead> {
  var head = ResponseHead()
  return bytes.withUnsafeBytes { raw in
    do throws(HTTPParseError) {
      let status = try HeadParser.parseResponse(raw, requestMethod: method, limits: limits, into: &head)
      return status == .complete ? .complete(head) : .incomplete
    } catch {
      return .failed(error.kind)
    }
  }
}

/// Parses a response from text.
func parseResponse(
  _ text: String, method: HTTPMethod = .get, limits: HeadLimits = HeadLimits()
) -> Outcome<ResponseHead> {
  parseResponse(Array(text.utf8), method: method, limits: limits)
}

/// The text of a range of `text`'s UTF-8 bytes.
func slice(_ range: ByteRange, _ text: String) -> String {
  slice(range, Array(text.utf8))
}

/// The text of a range of `bytes`.
func slice(_ range: ByteRange, _ bytes: [UInt8]) -> String {
  String(decoding: bytes[range.start..<range.end], as: UTF8.self)
}

/// `name: value` of every field not dropped, in order.
func keptFields(_ headers: [HeaderField], _ text: String) -> [String] {
  headers.filter { !$0.drop }.map { "\(slice($0.name, text)): \(slice($0.value, text))" }
}

/// Names of the fields marked drop, in order.
func droppedNames(_ headers: [HeaderField], _ text: String) -> [String] {
  headers.filter { $0.drop }.map { slice($0.name, text) }
}

/// Deterministic generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// What feeding a body to a BodyTracker produced.
struct BodyOutcome: Equatable {
  var consumed = 0
  var complete = false
  var payload: [UInt8] = []
  var payloadBytes: UInt64 = 0
  var error: HTTPParseError.Kind?
}

/// Feeds `bytes` to a tracker in pieces of the given sizes (the last piece takes the rest), stopping at
/// completion or at the first error. On error `consumed` is reported as 0 because how many bytes were
/// accepted before the throw depends on the split.
func feedBody(
  _ bytes: [UInt8], framing: BodyFraming = .chunked, pieces: [Int]? = nil, maxTrailerBytes: Int = 16384
) -> BodyOutcome {
  var tracker = BodyTracker(framing: framing, maxTrailerBytes: maxTrailerBytes)
  var outcome = BodyOutcome()
  let sizes = pieces ?? [bytes.count]
  bytes.withUnsafeBytes { raw in
    var offset = 0
    for (index, size) in sizes.enumerated() {
      if tracker.isComplete { break }
      let end = index == sizes.count - 1 ? raw.count : min(raw.count, offset + size)
      let piece = UnsafeRawBufferPointer(rebasing: raw[offset..<end])
      do throws(HTTPParseError) {
        let used = try tracker.consume(piece) { span in outcome.payload.append(contentsOf: span) }
        outcome.consumed += used
      } catch {
        outcome.error = error.kind
        outcome.consumed = 0
        break
      }
      offset = end
    }
  }
  outcome.complete = tracker.isComplete
  outcome.payloadBytes = tracker.payloadBytes
  return outcome
}

/// Random split sizes covering `count` bytes.
func randomPieces(_ count: Int, using rng: inout SeededGenerator) -> [Int] {
  var pieces: [Int] = []
  var left = count
  while left > 0 {
    let size = Int.random(in: 1...max(1, min(left, 7)), using: &rng)
    pieces.append(size)
    left -= size
  }
  return pieces.isEmpty ? [0] : pieces
}
