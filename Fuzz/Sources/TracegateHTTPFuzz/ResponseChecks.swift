// Invariants of parseResponse and the response writer.
import TracegateHTTP

enum ResponseChecks {
  static let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .connect, .options, .trace, .patch, .other]

  static func run(_ buffer: UnsafeRawBufferPointer) {
    let method = methods[buffer.count == 0 ? 0 : Int(buffer[buffer.count - 1]) % methods.count]
    var head = ResponseHead()
    let status: ParseStatus
    do {
      status = try HeadParser.parseResponse(buffer, requestMethod: method, limits: fuzzLimits, into: &head)
    } catch {
      return
    }
    guard status == .complete else { return }
    require(head.headLength > 0 && head.headLength <= buffer.count, "headLength out of bounds")
    require(head.statusCode >= 100 && head.statusCode <= 599, "status code out of range")
    require(head.reason.end < head.headLength, "reason beyond head")
    checkFields(head.headers, headLength: head.headLength)
    if head.framing == .untilClose { require(!head.keepAlive, "keep-alive with a body until close") }
    if method == .head || head.statusCode < 200 || head.statusCode == 204 || head.statusCode == 304 {
      require(head.framing == .none, "bodiless response with a body")
    }

    var again = ResponseHead()
    let short = UnsafeRawBufferPointer(rebasing: buffer[0..<(head.headLength - 1)])
    let shortStatus = try? HeadParser.parseResponse(short, requestMethod: method, limits: fuzzLimits, into: &again)
    require(shortStatus == .incomplete, "prefix of a complete response head is not incomplete")

    var tracker = BodyTracker(framing: head.framing)
    let rest = UnsafeRawBufferPointer(rebasing: buffer[head.headLength...])
    if let used = try? tracker.consume(rest) {
      require(used <= rest.count, "tracker consumed more than given")
    }

    var out = IOBuffer()
    defer { out.release() }
    HeadWriter.writeResponseHead(head, from: buffer, into: &out)
    HeadWriter.finishHead(into: &out)
    var reparsed = ResponseHead()
    let written = out.readable
    let reparsedStatus = try? HeadParser.parseResponse(
      written, requestMethod: method, limits: HeadLimits(), into: &reparsed)
    require(reparsedStatus == .complete, "written response head does not parse")
    require(reparsed.headLength == written.count, "written response head has trailing bytes")
    require(reparsed.statusCode == head.statusCode, "status changed")
    require(reparsed.framing == head.framing, "response framing changed by rewriting")
    require(bytes(reparsed.reason, written) == bytes(head.reason, buffer), "reason changed")
    compareKept(
      head.headers, buffer, reparsed.headers, written, contentLength: head.contentLength,
      rewritesLength: head.rewritesContentLength, rewritesCodings: head.rewritesTransferEncoding)
  }
}
