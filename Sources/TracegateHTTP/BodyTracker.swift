// Streaming validation of body framing while bytes are forwarded raw.

/// Follows a message body through the bytes as they arrive, so the proxy can forward them raw while
/// knowing exactly where the body ends and whether its framing is valid (RFC 9112 §6, §7.1).
///
/// Feed it each chunk of received bytes that follows the head; it says how many belong to this body. The
/// result does not depend on how the bytes are split: one byte at a time and all at once give the same
/// counts, payload and errors. After a throw the tracker must not be used again (the connection is closed).
public struct BodyTracker: Sendable {
  /// Where the tracker is in the message. The chunked phases are driven by ``consumeChunked(_:_:_:)``.
  enum Phase: UInt8, Sendable {
    case done, fixed, untilClose
    case size, sizeBWS, extBeforeName, extName, extAfterName, extBeforeValue, extToken, extQuoted,
      extQuotedEscape, extAfterQuoted, extAfterValue, sizeLF
    case data, dataCR, dataLF
    case trailerLineStart, trailerName, trailerValue, trailerLF, finalLF
  }

  /// Longest accepted chunk-ext, in bytes from the end of the chunk-size to the CR.
  public static let maxChunkExtensionBytes = 4096
  /// Most hex digits accepted in a chunk-size (16 fill a `UInt64`).
  public static let maxChunkSizeDigits = 16

  /// The framing this tracker follows.
  public let framing: BodyFraming
  /// Largest accepted trailer section, in bytes of field lines.
  public let maxTrailerBytes: Int
  /// Payload bytes seen so far, excluding chunk framing and trailers.
  public internal(set) var payloadBytes: UInt64 = 0

  var phase: Phase
  /// Bytes left in the fixed-length body or in the current chunk's data; the chunk-size while parsing it.
  var remaining: UInt64 = 0
  var sizeDigits = 0
  var extensionBytes = 0
  var trailerBytes = 0

  /// Starts tracking a body with the given framing (from ``RequestHead/framing`` or
  /// ``ResponseHead/framing``).
  /// - Parameter maxTrailerBytes: limit for the trailer section of a chunked body.
  public init(framing: BodyFraming, maxTrailerBytes: Int = 16384) {
    self.framing = framing
    self.maxTrailerBytes = maxTrailerBytes
    switch framing {
    case .none:
      phase = .done
    case .contentLength(let n):
      phase = n == 0 ? .done : .fixed
      remaining = n
    case .chunked:
      phase = .size
    case .untilClose:
      phase = .untilClose
    }
  }

  /// True once the body has ended; always true for `.none` and `.contentLength(0)`, never for
  /// `.untilClose` (that body ends when the connection closes, which only the caller sees).
  public var isComplete: Bool { phase == .done }

  /// Looks at the next raw bytes of the message and returns how many of them belong to this body
  /// (≤ `buffer.count`). Bytes beyond the returned count belong to the next message.
  public mutating func consume(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
    try consume(buffer, { _ in }, { _ in }, SkipsSpans.self)
  }

  /// Like ``consume(_:)``, also reporting every span of payload (de-chunked data) inside `buffer` to
  /// `payload`, in order, for HTTP/2 translation and body hashing.
  public mutating func consume(
    _ buffer: UnsafeRawBufferPointer, payload: (UnsafeRawBufferPointer) -> Void
  ) throws(HTTPParseError) -> Int {
    try consume(buffer, payload, { _ in }, ReportsPayload.self)
  }

  /// The body of the three public `consume` variants. `Mode` is a compile-time switch: each variant gets
  /// its own specialisation in which the reporting it does not do folds away, so ``consume(_:)`` (the data
  /// plane's per-read call) and ``consume(_:payload:)`` keep the code they had before trailer reporting
  /// existed: no trailer branch, no extra call (checked in the release assembly).
  @inline(__always)
  mutating func consume<Mode: BodySpanMode>(
    _ buffer: UnsafeRawBufferPointer, _ payload: (UnsafeRawBufferPointer) -> Void,
    _ trailer: (UnsafeRawBufferPointer) -> Void, _ mode: Mode.Type
  ) throws(HTTPParseError) -> Int {
    guard let p = buffer.baseAddress, buffer.count > 0 else { return 0 }
    let n = buffer.count
    switch phase {
    case .done:
      return 0
    case .untilClose:
      if Mode.reportsPayload { payload(buffer) }
      payloadBytes &+= UInt64(n)
      return n
    case .fixed:
      let take = remaining < UInt64(n) ? Int(remaining) : n
      if Mode.reportsPayload { payload(UnsafeRawBufferPointer(start: p, count: take)) }
      payloadBytes &+= UInt64(take)
      remaining -= UInt64(take)
      if remaining == 0 { phase = .done }
      return take
    default:
      return try consumeChunked(p, n, payload, trailer, mode)
    }
  }
}
