// Reporting the trailer section of a chunked body, for translation into HTTP/2 trailers.

extension BodyTracker {
  /// Like ``consume(_:payload:)``, also reporting the bytes of the trailer-section of a chunked body
  /// (RFC 9112 §7.1.2) to `trailer`, in order: the field lines with their CRLFs, without the final CRLF.
  ///
  /// Why: an HTTP/1.1 body relayed to HTTP/2 sends its trailer fields as a closing HEADERS frame
  /// (RFC 9113 §8.1). The spans point into `buffer` and are valid only during the call, so the caller
  /// copies them (a trailer-section is at most ``maxTrailerBytes``) and, once ``isComplete``, turns the
  /// concatenation into fields with ``TrailerFields/parse(_:into:)``. How the bytes are split across
  /// calls does not change their concatenation. Bodies of other framings never report trailer bytes.
  public mutating func consume(
    _ buffer: UnsafeRawBufferPointer, payload: (UnsafeRawBufferPointer) -> Void,
    trailer: (UnsafeRawBufferPointer) -> Void
  ) throws(HTTPParseError) -> Int {
    try consume(buffer, payload, trailer, ReportsPayloadAndTrailers.self)
  }
}

/// Compile-time choice of what ``BodyTracker`` reports: type parameters rather than `Bool` arguments so
/// that each specialisation is straight-line code without the branches (and closure calls) it does not
/// need. `consume(_:)` is the data plane's per-read call, so it must not pay for the other two.
protocol BodySpanMode {
  static var reportsPayload: Bool { get }
  static var reportsTrailers: Bool { get }
}

/// ``BodyTracker/consume(_:)``: framing is followed, nothing is reported.
enum SkipsSpans: BodySpanMode {
  @inline(__always) static var reportsPayload: Bool { false }
  @inline(__always) static var reportsTrailers: Bool { false }
}

/// ``BodyTracker/consume(_:payload:)``: payload spans are reported, trailer bytes validated and skipped.
enum ReportsPayload: BodySpanMode {
  @inline(__always) static var reportsPayload: Bool { true }
  @inline(__always) static var reportsTrailers: Bool { false }
}

/// ``BodyTracker/consume(_:payload:trailer:)``: payload spans and trailer bytes are reported.
enum ReportsPayloadAndTrailers: BodySpanMode {
  @inline(__always) static var reportsPayload: Bool { true }
  @inline(__always) static var reportsTrailers: Bool { true }
}
