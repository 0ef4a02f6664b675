// libFuzzer entry point for the HTTP/1.1 codec.
import Glibc
import TracegateHTTP

/// libFuzzer's entry point: runs the request parser, the response parser and a chunked BodyTracker over
/// the input and aborts when an invariant breaks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let buffer = UnsafeRawBufferPointer(start: data, count: size)
  RequestChecks.run(buffer)
  ResponseChecks.run(buffer)
  BodyChecks.run(buffer)
  return 0
}

/// The callback handed to LLVMFuzzerRunDriver (whose data pointer may be null for the empty input).
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else {
    var empty: UInt8 = 0
    return fuzz(&empty, 0)
  }
  return fuzz(data, size)
}

/// Aborts with a message when `condition` is false; libFuzzer then saves the input as a crash artifact.
func require(_ condition: Bool, _ what: StaticString) {
  if condition { return }
  writeError("TracegateHTTPFuzz invariant violated: \(what)\n")
  abort()
}

/// Writes to standard error (fd 2) without touching the non-Sendable `stderr` global.
func writeError(_ message: String) {
  var text = message
  text.withUTF8 { utf8 in _ = write(2, utf8.baseAddress, utf8.count) }
}

/// Limits small enough that the fuzzer reaches them.
let fuzzLimits = HeadLimits(maxHeadBytes: 2048, maxHeaderCount: 24, maxURILength: 512)

/// The bytes of `range` in `buffer`, as an array (allocation is fine in the fuzzer).
func bytes(_ range: ByteRange, _ buffer: UnsafeRawBufferPointer) -> [UInt8] {
  Array(range.bytes(in: buffer))
}

/// Checks the ranges of parsed fields against the head length.
func checkFields(_ headers: [HeaderField], headLength: Int) {
  for field in headers {
    require(field.name.count > 0, "empty field name")
    require(field.line.start == field.name.start, "line does not start with the name")
    require(field.name.end < field.value.start || field.name.end < field.line.end, "name overlaps value")
    require(field.value.start <= field.value.end, "inverted value range")
    require(field.value.start > field.name.end, "value starts before the colon")
    require(field.value.end <= field.line.end - 2, "value runs into the CRLF")
    require(field.line.end <= headLength, "line beyond the head")
  }
}
