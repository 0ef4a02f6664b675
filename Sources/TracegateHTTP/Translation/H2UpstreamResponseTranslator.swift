// HTTP/2 upstream response header block -> the internal HTTP/1.1 response head (RFC 9113 §8.3.2).

/// Translates a response header block from an HTTP/2 upstream into the HTTP/1.1 response head the exchange
/// code parses and forwards, the mirror image of ``H2RequestTranslator``.
///
/// The written head is `HTTP/1.1 <status> <reason> CRLF` (the registered reason-phrase, or none:
/// RFC 9112 §4 makes it informational), the regular fields as received, framing, and the empty line.
/// Framing, since HTTP/2 frames bodies itself (RFC 9113 §8.1):
/// - 1xx: no framing field (RFC 9110 §15.2); such a block must not end the stream (RFC 9113 §8.1);
/// - no content by definition (HEAD request, 204, 304; RFC 9110 §6.4.1): no field added; `content-length`
///   is kept as received for HEAD and 304, where it is metadata (RFC 9110 §8.6), and left out for 204;
/// - else `content-length` when the upstream sent one (one canonical field where the first stood);
/// - else `content-length: 0` when the HEADERS frame ended the stream, so the next hop need not wait for a
///   close;
/// - else `transfer-encoding: chunked`, and the DATA frames go through ``ChunkedBodyWriter``.
///
/// Everything RFC 9113 calls malformed in a response is refused, so the head always parses with
/// ``HeadParser/parseResponse(_:requestMethod:limits:into:)`` to the same status and fields.
public enum H2UpstreamResponseTranslator {
  /// Appends the HTTP/1.1 response head for `fields` to `out`.
  ///
  /// - Parameters:
  ///   - fields: the decoded header block, `:status` first.
  ///   - endStream: the HEADERS frame carried END_STREAM.
  ///   - requestMethod: the method of the request this answers (HEAD changes the framing).
  ///   - out: receives the head after its writer index; on error nothing is left appended.
  /// - Returns: the status and how the body that follows is framed (`.none` for 1xx and bodiless
  ///   responses).
  /// - Throws: ``H2TranslationError`` with status 502.
  public static func writeHTTP1Head(
    _ fields: FieldBlock, endStream: Bool, requestMethod: HTTPMethod, into out: inout IOBuffer
  ) throws(H2TranslationError) -> TranslatedResponseHead {
    // Bounded by the block's bytes plus ": " CRLF per field, the status-line's fixed text with the longest
    // reason-phrase, and one framing field.
    out.reserve(minimumWritable: fields.bytes.count + 4 * fields.count + 96)
    let before = out.readableBytes
    let result: Result<TranslatedResponseHead, H2TranslationError> = fields.withUnsafeBytes { raw in
      do throws(H2TranslationError) {
        return .success(try write(fields, raw, endStream: endStream, requestMethod: requestMethod, into: &out))
      } catch {
        return .failure(error)
      }
    }
    if case .failure = result { out.moveWriterIndex(by: before - out.readableBytes) }
    return try result.get()
  }

  /// The translation proper; `raw` is the store of `fields`.
  static func write(
    _ fields: FieldBlock, _ raw: UnsafeRawBufferPointer, endStream: Bool, requestMethod: HTTPMethod,
    into out: inout IOBuffer
  ) throws(H2TranslationError) -> TranslatedResponseHead {
    let count = fields.count
    var statusIndex = -1
    var i = 0
    while i < count {
      let name = fields.name(i, in: raw)
      if !H2FieldRules.isPseudo(name) { break }
      if !ByteCompare.equalsExactly(name, ":status") { throw .response(.unknownPseudoHeader) }
      if statusIndex >= 0 { throw .response(.duplicatePseudoHeader) }
      statusIndex = i
      i += 1
    }
    guard statusIndex >= 0 else { throw .response(.missingStatus) }
    let statusBytes = fields.value(statusIndex, in: raw)
    guard let code = statusCode(statusBytes) else { throw .response(.invalidStatus) }
    if code == 101 { throw .response(.switchingProtocols) }
    let informational = code < 200
    if informational && endStream { throw .response(.informationalWithEndStream) }
    // RFC 9110 §6.4.1: these responses have no content whatever their fields say.
    let bodiless = informational || code == 204 || code == 304 || requestMethod == .head
    // RFC 9110 §8.6: never Content-Length in 1xx or 204; in HEAD and 304 answers it is metadata.
    let writesContentLength = !(informational || code == 204)

    out.append("HTTP/1.1 ")
    out.append(statusBytes)
    out.append(byte: ASCII.space)
    out.append(ReasonPhrase.forStatus(code))
    out.append("\r\n")

    var contentLength: UInt64?
    while i < count {
      let name = fields.name(i, in: raw)
      let value = fields.value(i, in: raw)
      if H2FieldRules.isPseudo(name) { throw .response(.pseudoHeaderAfterRegularField) }
      let (known, problem) = H2FieldRules.checkRegular(name, value)
      if let problem { throw .response(problem) }
      if known == .contentLength {
        let (n, problem) = H2FieldRules.contentLength(value)
        if let problem { throw .response(problem) }
        if let previous = contentLength {
          if previous != n { throw .response(.conflictingContentLength) }
        } else {
          contentLength = n
          if writesContentLength {
            out.append("content-length: ")
            out.appendDecimal(n)
            out.append("\r\n")
          }
        }
      } else {
        out.append(name)
        out.append(": ")
        out.append(value)
        out.append("\r\n")
      }
      i += 1
    }

    let body: TranslatedBody
    if bodiless {
      body = .none
    } else if let n = contentLength {
      if endStream && n > 0 { throw .response(.contentLengthWithEndStream) }  // RFC 9113 §8.1.1
      body = .contentLength(n)
    } else if endStream {
      out.append("content-length: 0\r\n")
      body = .contentLength(0)
    } else {
      out.append("transfer-encoding: chunked\r\n")
      body = .chunked
    }
    out.append("\r\n")
    return TranslatedResponseHead(status: code, body: body)
  }

  /// The code of a `:status` value that is exactly three digits in 100...599 (RFC 9110 §15), else nil.
  static func statusCode(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard bytes.count == 3 else { return nil }
    var code = 0
    for b in bytes {
      let d = b &- ASCII.zero
      if d >= 10 { return nil }
      code = code * 10 + Int(d)
    }
    return code >= 100 && code <= 599 ? code : nil
  }
}
