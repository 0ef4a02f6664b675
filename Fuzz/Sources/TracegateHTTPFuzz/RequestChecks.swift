// Invariants of parseRequest and the request writer.
import TracegateHTTP

enum RequestChecks {
  static func run(_ buffer: UnsafeRawBufferPointer) {
    var head = RequestHead()
    let status: ParseStatus
    do {
      status = try HeadParser.parseRequest(buffer, limits: fuzzLimits, into: &head)
    } catch {
      require(error.status >= 400 && error.status <= 505, "error status out of range")
      return
    }
    guard status == .complete else { return }
    require(head.headLength > 0 && head.headLength <= buffer.count, "headLength out of bounds")
    require(head.headLength <= fuzzLimits.maxHeadBytes, "head longer than the limit")
    require(head.headers.count <= fuzzLimits.maxHeaderCount, "more headers than the limit")
    require(head.target.count <= fuzzLimits.maxURILength && head.target.count > 0, "target length")
    require(head.methodRange.end < head.target.start, "method after target")
    require(head.target.end < head.headLength, "target beyond head")
    require(head.framing != .untilClose, "request framed until close")
    checkFields(head.headers, headLength: head.headLength)
    if head.hostIndex >= 0 {
      require(head.headers[head.hostIndex].known == .host, "hostIndex not a Host field")
    } else {
      require(head.version == .http1_0, "HTTP/1.1 request without Host")
    }

    // Incremental parsing: one byte short is incomplete, exactly the head is the same head.
    var again = RequestHead()
    let short = UnsafeRawBufferPointer(rebasing: buffer[0..<(head.headLength - 1)])
    let shortStatus = try? HeadParser.parseRequest(short, limits: fuzzLimits, into: &again)
    require(shortStatus == .incomplete, "prefix of a complete head is not incomplete")
    let exact = UnsafeRawBufferPointer(rebasing: buffer[0..<head.headLength])
    let exactStatus = try? HeadParser.parseRequest(exact, limits: fuzzLimits, into: &again)
    require(exactStatus == .complete && again == head, "head differs when parsed alone")

    // The body that follows: the tracker never claims more than it is given.
    var tracker = BodyTracker(framing: head.framing)
    let rest = UnsafeRawBufferPointer(rebasing: buffer[head.headLength...])
    if let used = try? tracker.consume(rest) {
      require(used <= rest.count, "tracker consumed more than given")
    }

    roundTrip(head, buffer)
  }

  /// Writes the kept head, parses it again and checks it says the same thing.
  static func roundTrip(_ head: RequestHead, _ buffer: UnsafeRawBufferPointer) {
    guard head.hostIndex >= 0 else { return }  // written as HTTP/1.1, so it needs a Host
    var out = IOBuffer()
    defer { out.release() }
    HeadWriter.writeRequestHead(head, from: buffer, into: &out)
    HeadWriter.finishHead(into: &out)
    var reparsed = RequestHead()
    let written = out.readable
    let status = try? HeadParser.parseRequest(written, limits: HeadLimits(), into: &reparsed)
    require(status == .complete, "written head does not parse")
    require(reparsed.headLength == written.count, "written head has trailing bytes")
    require(reparsed.framing == head.framing, "framing changed by rewriting")
    require(reparsed.upgrade == head.upgrade, "upgrade changed by rewriting")
    require(bytes(reparsed.methodRange, written) == bytes(head.methodRange, buffer), "method changed")
    require(bytes(reparsed.target, written) == bytes(head.target, buffer), "target changed")
    compareKept(
      head.headers, buffer, reparsed.headers, written, contentLength: head.contentLength,
      rewritesLength: head.rewritesContentLength, rewritesCodings: head.rewritesTransferEncoding)
  }
}

/// The fields kept from `original` must be exactly the fields of `reparsed`, in order; a rewritten
/// Content-Length or Transfer-Encoding appears once, canonically, in the reparsed head instead.
func compareKept(
  _ original: [HeaderField], _ source: UnsafeRawBufferPointer, _ reparsed: [HeaderField],
  _ written: UnsafeRawBufferPointer, contentLength: UInt64?, rewritesLength: Bool, rewritesCodings: Bool
) {
  let kept = original.filter { !$0.drop }
  var others = reparsed
  if rewritesLength {
    let lengths = reparsed.filter { $0.known == .contentLength }
    require(lengths.count == 1, "canonical Content-Length missing")
    var digits: [UInt8] = []
    var v = contentLength ?? 0
    repeat {
      digits.insert(UInt8(v % 10) + 0x30, at: 0)
      v /= 10
    } while v > 0
    require(bytes(lengths[0].value, written) == digits, "canonical Content-Length value")
    others = others.filter { $0.known != .contentLength }
  }
  if rewritesCodings {
    let codings = reparsed.filter { $0.known == .transferEncoding }
    require(codings.count == 1, "canonical Transfer-Encoding missing")
    let before = original.filter { $0.known == .transferEncoding }.flatMap { tokens($0.value, source) }
    let after = tokens(codings[0].value, written)
    require(before.count == after.count, "transfer coding count changed")
    require(Array(before.dropLast()) == Array(after.dropLast()), "transfer codings changed")
    require(after.last == Array("chunked".utf8), "canonical Transfer-Encoding does not end in chunked")
    others = others.filter { $0.known != .transferEncoding }
  }
  require(others.count == kept.count, "kept field count changed")
  for (a, b) in zip(kept, others) {
    require(!b.drop, "a kept field is dropped after rewriting")
    require(a.known == b.known, "field classification changed")
    require(bytes(a.name, source) == bytes(b.name, written), "field name changed")
    require(bytes(a.value, source) == bytes(b.value, written), "field value changed")
  }
}

/// The list elements of a field value.
func tokens(_ range: ByteRange, _ buffer: UnsafeRawBufferPointer) -> [[UInt8]] {
  var out: [[UInt8]] = []
  HeaderValueTokens.forEachToken(in: range.bytes(in: buffer)) { out.append(Array($0)) }
  return out
}
