// How the body of a translated message is framed in its HTTP/1.1 form.

/// The HTTP/1.1 framing a translator chose for the body that follows a translated head: it tells the data
/// plane how to write the HTTP/2 DATA payloads that follow into the HTTP/1.1 stream.
public enum TranslatedBody: Equatable, Sendable {
  /// No body: the HEADERS frame ended the stream (or the message cannot have one); DATA is not expected.
  case none
  /// Exactly this many bytes follow, copied as they come (RFC 9112 §6.2). The data plane must still check
  /// that the DATA payloads add up to it (RFC 9113 §8.1.1).
  case contentLength(UInt64)
  /// `Transfer-Encoding: chunked` was written: each DATA payload becomes a chunk
  /// (``ChunkedBodyWriter/appendChunk(_:into:)``) and the end of the stream the last chunk
  /// (``ChunkedBodyWriter/appendLastChunk(trailers:into:)``).
  case chunked
}
