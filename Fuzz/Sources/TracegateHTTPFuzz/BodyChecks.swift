// Invariants of the chunked BodyTracker: bounds, and independence from how the bytes are split.
import TracegateHTTP

enum BodyChecks {
  /// What feeding a body produced: bytes consumed, completion, payload, error.
  struct Outcome: Equatable {
    var consumed = 0
    var complete = false
    var payload: [UInt8] = []
    var payloadBytes: UInt64 = 0
    var error: HTTPParseError?
  }

  static func run(_ buffer: UnsafeRawBufferPointer) {
    let whole = feed(buffer, pieces: [buffer.count])
    require(whole.consumed <= buffer.count, "consumed more than given")
    require(whole.payloadBytes == UInt64(whole.payload.count), "payloadBytes differs from payload")
    if whole.error == nil { require(whole.payload.count <= whole.consumed, "more payload than bytes") }
    if buffer.count > 1 {
      let cut = Int(buffer[0]) % buffer.count
      require(feed(buffer, pieces: [cut, buffer.count - cut]) == whole, "split feeding differs")
    }
    if buffer.count <= 1024 {
      require(feed(buffer, pieces: Array(repeating: 1, count: buffer.count)) == whole, "byte feeding differs")
    }
  }

  /// Feeds `buffer` in pieces of the given sizes, stopping at completion or error.
  static func feed(_ buffer: UnsafeRawBufferPointer, pieces: [Int]) -> Outcome {
    var tracker = BodyTracker(framing: .chunked, maxTrailerBytes: 256)
    var outcome = Outcome()
    var offset = 0
    for size in pieces where !tracker.isComplete {
      let piece = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + size)])
      do {
        let used = try tracker.consume(piece) { span in
          require(
            span.baseAddress! >= piece.baseAddress!
              && span.baseAddress! + span.count <= piece.baseAddress! + piece.count,
            "payload span outside the input")
          outcome.payload.append(contentsOf: span)
        }
        require(used <= piece.count, "consume returned more than given")
        require(used == piece.count || tracker.isComplete, "stopped early without completing")
        outcome.consumed += used
      } catch {
        // The bytes accepted before the throw depend on the split; only the error must agree.
        outcome.error = error
        outcome.consumed = 0
        break
      }
      offset += size
    }
    outcome.complete = tracker.isComplete
    outcome.payloadBytes = tracker.payloadBytes
    return outcome
  }
}
