// Downstream HTTP/2 request header block -> the internal HTTP/1.1 request head (RFC 9113 §8.3.1).

/// Translates the header block that opens an HTTP/2 stream from a client into the HTTP/1.1 request head the
/// exchange code parses, routes and forwards (the stream slot then carries the body as framed by the
/// returned ``TranslatedBody``).
///
/// The written head is `METHOD SP :path SP HTTP/1.1 CRLF`, `host: <:authority>`, the regular fields in
/// order as received (names are lower case in HTTP/2), the `cookie` crumbs joined into one field where the
/// first stood (RFC 9113 §8.2.3), one canonical `content-length` where the first stood, `transfer-encoding:
/// chunked` when the body length is unknown, and the empty line. `te: trailers` is written as received:
/// HTTP/1.1 treats it as hop-by-hop (the parser marks it `drop`), but an HTTP/2 upstream gets it
/// (``H2UpstreamRequestTranslator``), which gRPC needs.
///
/// Everything RFC 9113 calls malformed in a request is refused (§8.1.1, §8.2, §8.3), so the head always
/// parses with ``HeadParser/parseRequest(_:limits:into:)`` to the same method, target and fields; size
/// limits are left to that parse (414, 431).
public enum H2RequestTranslator {
  /// Appends the HTTP/1.1 request head for `fields` to `out`.
  ///
  /// - Parameters:
  ///   - fields: the decoded header block, pseudo-header fields first.
  ///   - endStream: the HEADERS frame carried END_STREAM, so no body follows.
  ///   - out: receives the head after its writer index; on error nothing is left appended.
  /// - Returns: how the body is framed: `.contentLength(n)` when `content-length` was sent, else `.chunked`
  ///   (a `transfer-encoding: chunked` field was added) unless the stream has ended (`.none`).
  /// - Throws: ``H2TranslationError`` with status 400 for a malformed request, 501 for CONNECT.
  public static func writeHTTP1Head(
    _ fields: FieldBlock, endStream: Bool, into out: inout IOBuffer
  ) throws(H2TranslationError) -> TranslatedBody {
    // Every written byte is bounded by the block's bytes plus ": " CRLF per field, the request-line's
    // fixed text, a Host line name and the chunked framing field, so one reservation suffices.
    out.reserve(minimumWritable: fields.bytes.count + 4 * fields.count + 64)
    let before = out.readableBytes
    let result: Result<TranslatedBody, H2TranslationError> = fields.withUnsafeBytes { raw in
      do throws(H2TranslationError) {
        return .success(try write(fields, raw, endStream: endStream, into: &out))
      } catch {
        return .failure(error)
      }
    }
    if case .failure = result { out.moveWriterIndex(by: before - out.readableBytes) }
    return try result.get()
  }

  /// The translation proper; `raw` is the store of `fields`.
  static func write(
    _ fields: FieldBlock, _ raw: UnsafeRawBufferPointer, endStream: Bool, into out: inout IOBuffer
  ) throws(H2TranslationError) -> TranslatedBody {
    let pseudo = try RequestPseudoHeaders(fields, raw)
    out.append(pseudo.method)
    out.append(byte: ASCII.space)
    out.append(pseudo.path)
    out.append(" HTTP/1.1\r\n")
    if let authority = pseudo.authority { appendLine("host", authority, into: &out) }

    let count = fields.count
    var hostSeen = false
    var contentLength: UInt64?
    var cookieWritten = false
    var i = pseudo.firstRegular
    while i < count {
      let name = fields.name(i, in: raw)
      let value = fields.value(i, in: raw)
      if H2FieldRules.isPseudo(name) { throw .request(.pseudoHeaderAfterRegularField) }
      let (known, problem) = H2FieldRules.checkRegular(name, value)
      if let problem { throw .request(problem) }
      switch known {
      case .host:
        if hostSeen { throw .request(.duplicateHost) }
        hostSeen = true
        if let authority = pseudo.authority {
          // RFC 9113 §8.3.1: a Host naming another authority than :authority makes the request malformed;
          // host names compare case-insensitively (RFC 3986 §3.2.2). The Host line is already written.
          if !ByteCompare.equalsCaseInsensitive(authority, value) { throw .request(.authorityMismatch) }
        } else {
          if value.count == 0 || !HostValue.isValid(value) { throw .request(.invalidAuthority) }
          appendLine("host", value, into: &out)
        }
      case .contentLength:
        let (n, problem) = H2FieldRules.contentLength(value)
        if let problem { throw .request(problem) }
        if let previous = contentLength {
          if previous != n { throw .request(.conflictingContentLength) }
        } else {
          contentLength = n
          out.append("content-length: ")
          out.appendDecimal(n)
          out.append("\r\n")
        }
      case .cookie:
        if !cookieWritten {
          cookieWritten = true
          appendJoinedCookies(fields, raw, from: i, into: &out)
        }
      default:
        appendLine(name, value, into: &out)
      }
      i += 1
    }
    if pseudo.authority == nil && !hostSeen { throw .request(.missingAuthority) }

    let body: TranslatedBody
    if let n = contentLength {
      // RFC 9113 §8.1.1: a content-length that disagrees with the DATA frames (none, here) is malformed.
      if endStream && n > 0 { throw .request(.contentLengthWithEndStream) }
      body = .contentLength(n)
    } else if !endStream {
      // The length is unknown until END_STREAM: chunked is the only HTTP/1.1 framing that fits
      // (RFC 9112 §6.1, §7.1).
      out.append("transfer-encoding: chunked\r\n")
      body = .chunked
    } else {
      body = .none  // RFC 9112 §6.3 item 7: a request without framing fields has no body
    }
    out.append("\r\n")
    return body
  }

  /// Writes one `cookie` field holding the value of every `cookie` field from `first` on, joined with
  /// `"; "` (RFC 9113 §8.2.3: HTTP/2 may split the cookie into crumbs; HTTP/1.1 needs one field,
  /// RFC 6265 §5.4). Values are checked when the main loop reaches their fields.
  static func appendJoinedCookies(
    _ fields: FieldBlock, _ raw: UnsafeRawBufferPointer, from first: Int, into out: inout IOBuffer
  ) {
    out.append("cookie: ")
    out.append(fields.value(first, in: raw))
    var j = first + 1
    while j < fields.count {
      if ByteCompare.equalsExactly(fields.name(j, in: raw), "cookie") {
        out.append("; ")
        out.append(fields.value(j, in: raw))
      }
      j += 1
    }
    out.append("\r\n")
  }

  /// Appends `name: value CRLF`.
  @inline(__always)
  static func appendLine(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, into out: inout IOBuffer) {
    out.append(name)
    out.append(": ")
    out.append(value)
    out.append("\r\n")
  }

  /// Appends `name: value CRLF` for a constant name.
  @inline(__always)
  static func appendLine(_ name: StaticString, _ value: UnsafeRawBufferPointer, into out: inout IOBuffer) {
    out.append(name)
    out.append(": ")
    out.append(value)
    out.append("\r\n")
  }
}
