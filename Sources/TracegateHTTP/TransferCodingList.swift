// The Transfer-Encoding list of a message.

/// Summary of the transfer codings named by all `Transfer-Encoding` fields of a message, in order
/// (RFC 9112 §6.1, RFC 9110 §5.3: several fields form one list).
struct TransferCodingList {
  /// Number of codings seen.
  var count = 0
  /// How many of them are `chunked`.
  var chunkedCount = 0
  /// Whether the last coding is `chunked`.
  var lastIsChunked = false
  /// A coding that is not a bare token (parameters are refused), or an empty field.
  var malformed = false

  /// The only shape Tracegate frames as chunked: `chunked` exactly once, last (RFC 9112 §6.1: a sender must
  /// not apply chunked more than once, and it must be final in a request). Earlier codings (`gzip, chunked`)
  /// are allowed because the body is forwarded without decoding.
  var isChunkedOnceAndFinal: Bool { !malformed && chunkedCount == 1 && lastIsChunked }

  /// Adds the codings of one field value: `transfer-coding *( OWS "," OWS transfer-coding )`. The
  /// grammar allows `token *( OWS ";" OWS transfer-parameter )`; Tracegate accepts bare tokens only.
  mutating func add(_ value: UnsafeRawBufferPointer) {
    var sawAny = false
    HeaderValueTokens.forEachToken(in: value) { element in
      sawAny = true
      var n = 0
      while n < element.count && ASCII.isTokenChar(element[n]) { n += 1 }
      if n == 0 {
        malformed = true
        return
      }
      // No registered transfer coding takes parameters (RFC 9112 §7, IANA registry), and their
      // quoted-string syntax can hide commas that re-split the list differently downstream: a coding
      // with anything after its name is malformed (found by the fuzzer through the head writer).
      if n < element.count { malformed = true }
      count += 1
      let name = UnsafeRawBufferPointer(rebasing: element[0..<n])
      if ByteCompare.equalsCaseInsensitive(name, "chunked") {
        chunkedCount += 1
        lastIsChunked = true
      } else {
        lastIsChunked = false
      }
    }
    // An empty Transfer-Encoding field names no coding: reject rather than guess.
    if !sawAny { malformed = true }
  }

  /// True when `value` is exactly what ``HeadWriter`` would write: the codings separated by `", "`, no
  /// empty elements or extra whitespace, ending in lower-case `chunked`. Such a field is forwarded as is.
  static func isCanonical(_ value: UnsafeRawBufferPointer) -> Bool {
    guard let base = value.baseAddress else { return false }
    var expected = 0
    var ok = true
    var last = UnsafeRawBufferPointer(start: nil, count: 0)
    HeaderValueTokens.forEachToken(in: value) { element in
      let start = element.baseAddress! - base
      if expected > 0 {
        ok = ok && start == expected + 2 && value[expected] == ASCII.comma && value[expected + 1] == ASCII.space
      } else {
        ok = ok && start == 0
      }
      expected = start + element.count
      last = element
    }
    return ok && expected == value.count && ByteCompare.equalsExactly(last, "chunked")
  }
}
