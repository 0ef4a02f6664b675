// HTTP/2 DATA payloads and trailers -> the chunked transfer coding (RFC 9112 §7.1).

/// Writes a body whose length was unknown when its head was translated (``TranslatedBody/chunked``) as
/// HTTP/1.1 chunks: one chunk per DATA payload, then the last chunk with the trailer fields of the closing
/// HEADERS frame, if any (RFC 9113 §8.1).
public enum ChunkedBodyWriter {
  /// Appends `payload` as one chunk: `<hex size> CRLF <payload> CRLF`.
  ///
  /// An empty payload (a DATA frame of length 0, which HTTP/2 allows, often just to carry END_STREAM)
  /// writes nothing: a chunk of size 0 would be the last-chunk and end the body early (RFC 9112 §7.1).
  public static func appendChunk(_ payload: UnsafeRawBufferPointer, into out: inout IOBuffer) {
    let n = payload.count
    guard n > 0 else { return }
    var digits = 1
    while n >> (4 * digits) != 0 { digits += 1 }
    out.reserve(minimumWritable: digits + 2 + n + 2)
    var k = digits - 1
    while k >= 0 {
      out.append(byte: hexDigit(n >> (4 * k) & 0xF))
      k -= 1
    }
    out.append("\r\n")
    out.append(payload)
    out.append("\r\n")
  }

  /// Appends the last chunk, the trailer fields and the empty line that end a chunked body:
  /// `0 CRLF *( name ": " value CRLF ) CRLF`.
  ///
  /// Trailer names are written as received (lower case, as RFC 9113 §8.2.1 requires). Refused, with
  /// nothing appended: a pseudo-header field (RFC 9113 §8.1), a connection-specific field or `TE` other
  /// than `trailers` (§8.2.2), and any name or value HTTP/1.1 could not carry unchanged (§8.2.1).
  /// - Parameters:
  ///   - trailers: the trailer block, or nil (or empty) when the stream ended on a DATA frame.
  ///   - out: receives the bytes.
  /// - Throws: ``H2TranslationError`` with status 400. For trailers of an upstream's response the head has
  ///   already been sent, so the data plane resets the stream instead of answering.
  public static func appendLastChunk(trailers: FieldBlock?, into out: inout IOBuffer) throws(H2TranslationError) {
    guard let trailers, trailers.count > 0 else {
      out.append("0\r\n\r\n")
      return
    }
    let problem: H2TranslationError.Kind? = trailers.withUnsafeBytes { raw in
      var i = 0
      while i < trailers.count {
        let name = trailers.name(i, in: raw)
        if H2FieldRules.isPseudo(name) { return .pseudoHeaderInTrailers }
        if let problem = H2FieldRules.checkRegular(name, trailers.value(i, in: raw)).problem { return problem }
        i += 1
      }
      out.reserve(minimumWritable: 5 + trailers.bytes.count + 4 * trailers.count)
      out.append("0\r\n")
      i = 0
      while i < trailers.count {
        out.append(trailers.name(i, in: raw))
        out.append(": ")
        out.append(trailers.value(i, in: raw))
        out.append("\r\n")
        i += 1
      }
      out.append("\r\n")
      return nil
    }
    if let problem { throw .request(problem) }
  }

  /// The lower-case hex digit for `v` (0...15).
  @inline(__always)
  static func hexDigit(_ v: Int) -> UInt8 {
    v < 10 ? ASCII.zero &+ UInt8(v) : 0x61 &+ UInt8(v - 10)
  }
}
