// Rewriting heads by copying kept spans into an output buffer.

/// Writes heads for the next hop by copying the kept spans of a parsed head into an ``IOBuffer``: one
/// reservation, then `memcpy`s. Nothing is re-serialised field by field, so unknown fields reach the next
/// hop byte for byte.
///
/// A head is written in three steps: `writeRequestHead`/`writeResponseHead` (start-line and kept fields),
/// any number of `appendHeader` calls, then ``finishHead(into:)``.
public enum HeadWriter {
  /// Writes `method SP target SP HTTP/1.1 CRLF` and every field whose `drop` is false, verbatim.
  ///
  /// The version is always HTTP/1.1 (RFC 9110 §2.5: a proxy sends its own version). When
  /// ``RequestHead/rewritesContentLength`` or ``RequestHead/rewritesTransferEncoding`` is set, one canonical
  /// framing field is written where the first of the fields it replaces stood. An HTTP/1.0 request may have
  /// no Host; the caller must then add one.
  /// - Parameters:
  ///   - head: the parsed head.
  ///   - source: the buffer `head` was parsed from.
  ///   - target: a replacement request-target (e.g. origin-form for an absolute-form request), or nil.
  ///   - out: the output buffer; bytes are appended after its writer index.
  /// - Note: does not write the final CRLF; call ``finishHead(into:)``.
  public static func writeRequestHead(
    _ head: RequestHead, from source: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer? = nil,
    into out: inout IOBuffer
  ) {
    guard let p = source.baseAddress else { return }
    let targetCount = target?.count ?? head.target.count
    let versionLine: StaticString = " HTTP/1.1\r\n"
    var total = head.methodRange.count + 1 + targetCount + versionLine.utf8CodeUnitCount
    let rewrites = Rewrites(
      contentLength: head.rewritesContentLength ? head.contentLength : nil,
      transferEncoding: head.rewritesTransferEncoding)
    total += keptBytes(head.headers, rewrites)
    out.reserve(minimumWritable: total)

    out.unsafeAppend(p + head.methodRange.start, count: head.methodRange.count)
    out.append(byte: ASCII.space)
    if let target, let t = target.baseAddress {
      out.unsafeAppend(t, count: target.count)
    } else {
      out.unsafeAppend(p + head.target.start, count: head.target.count)
    }
    out.append(versionLine)
    writeFields(head.headers, from: p, rewrites, into: &out)
  }

  /// Writes `HTTP/1.1 <code> <reason> CRLF` and every kept field, verbatim (no final CRLF).
  public static func writeResponseHead(
    _ head: ResponseHead, from source: UnsafeRawBufferPointer, into out: inout IOBuffer
  ) {
    guard let p = source.baseAddress else { return }
    let statusPrefix: StaticString = "HTTP/1.1 "
    var total = statusPrefix.utf8CodeUnitCount + 4 + head.reason.count + 2
    let rewrites = Rewrites(
      contentLength: head.rewritesContentLength ? head.contentLength : nil,
      transferEncoding: head.rewritesTransferEncoding)
    total += keptBytes(head.headers, rewrites)
    out.reserve(minimumWritable: total)

    out.append(statusPrefix)
    out.appendDecimal(head.statusCode)
    out.append(byte: ASCII.space)
    out.unsafeAppend(p + head.reason.start, count: head.reason.count)
    out.append("\r\n")
    writeFields(head.headers, from: p, rewrites, into: &out)
  }

  /// Appends `name: value CRLF`. The caller guarantees `value` holds no CR, LF or NUL (values taken from a
  /// parsed head always qualify).
  public static func appendHeader(name: StaticString, value: UnsafeRawBufferPointer, into out: inout IOBuffer) {
    out.reserve(minimumWritable: name.utf8CodeUnitCount + value.count + 4)
    out.append(name)
    out.append(": ")
    out.append(value)
    out.append("\r\n")
  }

  /// Appends `name: value CRLF` from two literals.
  public static func appendHeader(name: StaticString, value: StaticString, into out: inout IOBuffer) {
    out.reserve(minimumWritable: name.utf8CodeUnitCount + value.utf8CodeUnitCount + 4)
    out.append(name)
    out.append(": ")
    out.append(value)
    out.append("\r\n")
  }

  /// Appends `name: value CRLF` from byte spans (configured names, computed values).
  public static func appendHeader(
    name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, into out: inout IOBuffer
  ) {
    out.reserve(minimumWritable: name.count + value.count + 4)
    out.append(name)
    out.append(": ")
    out.append(value)
    out.append("\r\n")
  }

  /// Appends the empty line that ends a head (RFC 9112 §2.1).
  public static func finishHead(into out: inout IOBuffer) {
    out.append("\r\n")
  }

  /// Framing fields the writer re-emits in canonical form instead of copying.
  struct Rewrites {
    /// Write `Content-Length: <n>` at the first Content-Length field.
    var contentLength: UInt64?
    /// Write `Transfer-Encoding: <codings>, chunked` at the first Transfer-Encoding field.
    var transferEncoding: Bool
  }

  /// Bytes the kept fields plus canonical framing fields will take (an upper bound).
  static func keptBytes(_ headers: [HeaderField], _ rewrites: Rewrites) -> Int {
    var total = 0
    var i = 0
    while i < headers.count {
      let field = headers[i]
      if !field.drop {
        total += field.line.count
      } else if rewrites.transferEncoding && field.known == .transferEncoding {
        total += field.value.count + 2  // each coding, plus ", "
      }
      i += 1
    }
    if rewrites.contentLength != nil { total += 16 + 20 + 2 }  // "Content-Length: " + up to 20 digits + CRLF
    if rewrites.transferEncoding { total += 19 + 7 + 2 }  // "Transfer-Encoding: " + "chunked" + CRLF
    return total
  }

  /// Copies kept field lines; writes each canonical framing field at the position of the first (dropped)
  /// field it replaces.
  static func writeFields(
    _ headers: [HeaderField], from p: UnsafeRawPointer, _ rewrites: Rewrites, into out: inout IOBuffer
  ) {
    var pendingLength = rewrites.contentLength != nil
    var pendingCodings = rewrites.transferEncoding
    var i = 0
    while i < headers.count {
      let field = headers[i]
      if !field.drop {
        out.unsafeAppend(p + field.line.start, count: field.line.count)
      } else if pendingLength && field.known == .contentLength, let n = rewrites.contentLength {
        pendingLength = false
        out.append("Content-Length: ")
        out.appendDecimal(n)
        out.append("\r\n")
      } else if pendingCodings && field.known == .transferEncoding {
        pendingCodings = false
        writeCanonicalTransferEncoding(headers, from: p, into: &out)
      }
      i += 1
    }
  }

  /// `Transfer-Encoding: ` + every coding before the final `chunked`, in order, trimmed, each followed by
  /// `, ` + `chunked` CRLF. The parser has already checked that `chunked` occurs once and last.
  static func writeCanonicalTransferEncoding(
    _ headers: [HeaderField], from p: UnsafeRawPointer, into out: inout IOBuffer
  ) {
    out.append("Transfer-Encoding: ")
    var i = 0
    while i < headers.count {
      if headers[i].known == .transferEncoding {
        HeaderValueTokens.forEachToken(in: headers[i].value.bytes(p)) { coding in
          if ByteCompare.equalsCaseInsensitive(coding, "chunked") { return }
          out.append(coding)
          out.append(", ")
        }
      }
      i += 1
    }
    out.append("chunked\r\n")
  }
}
