// ByteCompare, HeaderValueTokens, character classes and error metadata.
import Testing
import TracegateHTTP

@Suite("Byte utilities")
struct ByteUtilitiesTests {
  private func with<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    Array(text.utf8).withUnsafeBytes(body)
  }

  @Test("case-insensitive equality against a lower-case literal")
  func equalsLiteral() {
    #expect(with("X-Correlation-ID") { ByteCompare.equalsCaseInsensitive($0, "x-correlation-id") })
    #expect(!with("X-Correlation-IDs") { ByteCompare.equalsCaseInsensitive($0, "x-correlation-id") })
    #expect(!with("x-correlation-ie") { ByteCompare.equalsCaseInsensitive($0, "x-correlation-id") })
    #expect(with("") { ByteCompare.equalsCaseInsensitive($0, "") })
    // Only ASCII letters fold: '[' (0x5B) is not '{' (0x7B), '@' is not '`'.
    #expect(!with("[") { ByteCompare.equalsCaseInsensitive($0, "{") })
    #expect(!with("@") { ByteCompare.equalsCaseInsensitive($0, "`") })
  }

  @Test("case-insensitive equality of two spans and prefixes")
  func equalsSpans() {
    #expect(with("Keep-Alive") { a in with("KEEP-alive") { b in ByteCompare.equalsCaseInsensitive(a, b) } })
    #expect(!with("Keep-Alive") { a in with("Keep-Alivf") { b in ByteCompare.equalsCaseInsensitive(a, b) } })
    #expect(!with("^") { a in with("~") { b in ByteCompare.equalsCaseInsensitive(a, b) } })
    #expect(with("HTTPS://x") { ByteCompare.hasPrefixCaseInsensitive($0, "https://") })
    #expect(!with("http") { ByteCompare.hasPrefixCaseInsensitive($0, "https://") })
    #expect(with("Bearer abc") { a in with("bearer ") { b in ByteCompare.hasPrefixCaseInsensitive(a, b) } })
    #expect(!with("Bear") { a in with("bearer ") { b in ByteCompare.hasPrefixCaseInsensitive(a, b) } })
  }

  private func tokens(_ text: String) -> [String] {
    var out: [String] = []
    with(text) { HeaderValueTokens.forEachToken(in: $0) { out.append(String(decoding: $0, as: UTF8.self)) } }
    return out
  }

  @Test("comma-separated lists with OWS, empty elements and quoted strings")
  func tokenLists() {
    #expect(tokens("close") == ["close"])
    #expect(tokens(" a ,b,\t c\t") == ["a", "b", "c"])
    #expect(tokens(",, a,,  ,b ,") == ["a", "b"])
    #expect(tokens("") == [])
    #expect(tokens("   ") == [])
    #expect(tokens("gzip;q=\"1,0\", chunked") == ["gzip;q=\"1,0\"", "chunked"])
    #expect(tokens("x=\"a\\\",b\" , y") == ["x=\"a\\\",b\"", "y"])
    #expect(tokens("a b , c") == ["a b", "c"])
    #expect(tokens("\"unterminated, x") == ["\"unterminated, x"])
  }

  @Test("token characters accepted in names match RFC 9110 tchar exactly")
  func tokenCharacters() {
    let tchar = Set(Array("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8))
    for byte in 0...255 {
      let b = UInt8(byte)
      guard b != 0x0D, b != 0x0A, b != 0x3A else { continue }
      var bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX".utf8)
      bytes.append(b)
      bytes += Array("Y: v\r\n\r\n".utf8)
      let outcome = parseRequest(bytes)
      if tchar.contains(b) {
        #expect(outcome.head != nil, "byte \(byte)")
      } else {
        #expect(outcome.error == .invalidHeaderName, "byte \(byte)")
      }
    }
  }

  @Test("every error kind has its status and a snake_case code")
  func errorMetadata() {
    let kinds: [(HTTPParseError.Kind, Int, String)] = [
      (.malformedRequestLine, 400, "malformed_request_line"), (.invalidMethod, 400, "invalid_method"),
      (.invalidTarget, 400, "invalid_target"), (.uriTooLong, 414, "uri_too_long"),
      (.unsupportedVersion, 505, "unsupported_version"), (.headersTooLarge, 431, "headers_too_large"),
      (.tooManyHeaders, 431, "too_many_headers"), (.invalidHeaderName, 400, "invalid_header_name"),
      (.invalidHeaderValue, 400, "invalid_header_value"), (.obsFold, 400, "obs_fold"),
      (.missingHost, 400, "missing_host"), (.duplicateHost, 400, "duplicate_host"),
      (.contentLengthWithTransferEncoding, 400, "content_length_with_transfer_encoding"),
      (.invalidContentLength, 400, "invalid_content_length"),
      (.conflictingContentLength, 400, "conflicting_content_length"),
      (.unsupportedTransferEncoding, 501, "unsupported_transfer_encoding"),
      (.malformedStatusLine, 400, "malformed_status_line"), (.invalidChunkSize, 400, "invalid_chunk_size"),
      (.invalidChunkTerminator, 400, "invalid_chunk_terminator"),
      (.chunkExtensionTooLong, 400, "chunk_extension_too_long"), (.trailersTooLarge, 400, "trailers_too_large"),
      (.bareLineFeed, 400, "bare_line_feed"), (.invalidHost, 400, "invalid_host"),
    ]
    for (kind, status, code) in kinds {
      let error = HTTPParseError(kind)
      #expect(error.status == status)
      #expect(error.code.description == code)
      #expect(error.description == "\(code) (\(status))")
    }
  }

  @Test("ByteRange count and bytes(in:)")
  func byteRange() {
    let range = ByteRange(start: 2, end: 5)
    #expect(range.count == 3)
    #expect(with("abcdefg") { String(decoding: range.bytes(in: $0), as: UTF8.self) } == "cde")
  }
}
