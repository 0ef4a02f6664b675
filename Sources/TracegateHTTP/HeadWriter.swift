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
  /// ``RequestHead/rewritesContentLength`` is set, one `Content-Length: <n>` is written where the first
  /// Content-Length stood. An HTTP/1.0 request may have no Host; the caller must then add one.
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
    total += keptBytes(head.headers, contentLength: head.contentLength, rewrite: head.rewritesContentLength)
    out.reserve(minimumWritable: total)

    out.unsafeAppend(p + head.methodRange.start, count: head.methodRange.count)
    out.append(byte: ASCII.space)
    if let target, let t = target.baseAddress {
      out.unsafeAppend(t, count: target.count)
    } else {
      out.unsafeAppend(p + head.target.start, count: head.target.count)
    }
    out.append(versionLine)
    writeFields(head.headers, from: p, contentLength: head.contentLength, rewrite: head.rewritesContentLength, into: &out)
  }

  /// Writes `HTTP/1.1 <code> <reason> CRLF` and every kept field, verbatim (no final CRLF).
  public static func writeResponseHead(
    _ head: ResponseHead, from source: UnsafeRawBufferPointer, into out: inout IOBuffer
  ) {
    guard let p = source.baseAddress else { return }
    let statusPrefix: StaticString = "HTTP/1.1 "
    var total = statusPrefix.utf8CodeUnitCount + 4 + head.reason.count + 2
    total += keptBytes(head.headers, contentLength: head.contentLength, rewrite: head.rewritesContentLength)
    out.reserve(minimumWritable: total)

    out.append(statusPrefix)
    out.appendDecimal(head.statusCode)
    out.append(byte: ASCII.space)
    out.unsafeAppend(p + head.reason.start, count: head.reason.count)
    out.append("\r\n")
    writeFields(head.headers, from: p, contentLength: head.contentLength, rewrite: head.rewritesContentLength, into: &out)
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

  /// Bytes the kept fields (plus a canonical Content-Length) will take.
  static func keptBytes(_ headers: [HeaderField], contentLength: UInt64?, rewrite: Bool) -> Int {
    var total = 0
    var i = 0
    while i < headers.count {
      if !headers[i].drop { total += headers[i].line.count }
      i += 1
    }
    if rewrite { total += 16 + 20 + 2 }  // "Content-Length: " + up to 20 digits + CRLF
    return total
  }

  /// Copies kept field lines; when `rewrite` is set, writes one canonical Content-Length at the position
  /// of the first (dropped) Content-Length field.
  static func writeFields(
    _ headers: [HeaderField], from p: UnsafeRawPointer, contentLength: UInt64?, rewrite: Bool,
    into out: inout IOBuffer
  ) {
    var pendingLength = rewrite
    var i = 0
    while i < headers.count {
      let field = headers[i]
      if !field.drop {
        out.unsafeAppend(p + field.line.start, count: field.line.count)
      } else if pendingLength && field.known == .contentLength {
        pendingLength = false
        if let n = contentLength {
          out.append("Content-Length: ")
          out.appendDecimal(n)
          out.append("\r\n")
        }
      }
      i += 1
    }
  }
}
