// Internal HTTP/1.1 response head -> the HTTP/2 response header block for the client (RFC 9113 §8.3.2).

/// Translates a parsed HTTP/1.1 response head (from an HTTP/1.1 upstream, or one the exchange code wrote)
/// into the header block sent to an HTTP/2 client.
///
/// The block is `:status` followed by the fields in order, names lower-cased (RFC 9113 §8.2.1), leaving
/// out fields marked ``HeaderField/drop`` and the connection-specific ones (RFC 9113 §8.2.2), which
/// includes `Connection` and `Upgrade` even when the parser kept them for an upgrade. Values are taken as
/// parsed: the HTTP/1.1 parser already trimmed them and refused every byte HTTP/2 forbids.
public enum H2ResponseTranslator {
  /// Fills `block` with the header block of a final (non-1xx) response.
  ///
  /// `content-length` is kept, as one canonical field where the first stood, when the framing is
  /// content-length, and also for HEAD and 304 answers, where it is metadata RFC 9113 §8.1.1 allows
  /// (RFC 9110 §8.6); it is left out otherwise, notably when chunked framing overrode it.
  /// - Parameters:
  ///   - head: the parsed head; its ``ResponseHead/statusCode`` must be at least 200 (use
  ///     ``writeInformationalBlock(_:from:into:)`` for 1xx).
  ///   - source: the buffer `head` was parsed from.
  ///   - block: emptied (keeping its capacity), then filled.
  /// - Returns: whether a body follows (DATA frames): false for HEAD answers, 204, 304 and a zero
  ///   content-length, so the HEADERS frame carries END_STREAM.
  public static func writeHeaderBlock(
    _ head: ResponseHead, from source: UnsafeRawBufferPointer, into block: inout FieldBlock
  ) -> Bool {
    precondition(head.statusCode >= 200, "1xx heads go through writeInformationalBlock")
    // The parser sets framing `.none` exactly for the bodiless answers (HEAD, 204, 304, 2xx to CONNECT)
    // and records their Content-Length as metadata; 204 must not carry one (RFC 9110 §8.6).
    var keptLength: UInt64?
    switch head.framing {
    case .contentLength(let n): keptLength = n
    case .none: keptLength = head.statusCode == 204 ? nil : head.contentLength
    case .chunked, .untilClose: keptLength = nil
    }
    fill(head, source, contentLength: keptLength, into: &block)
    switch head.framing {
    case .none, .contentLength(0): return false
    default: return true
    }
  }

  /// Fills `block` with the header block of an informational (1xx) response, sent ahead of the final one
  /// (RFC 9113 §8.1): `:status` and the fields, without `content-length` (RFC 9110 §8.6).
  /// - Throws: ``H2TranslationError/Kind/switchingProtocols`` (status 502) for 101, which HTTP/2 does not
  ///   have (RFC 9113 §8.6): an upstream that switches protocols cannot be relayed to an HTTP/2 client.
  public static func writeInformationalBlock(
    _ head: ResponseHead, from source: UnsafeRawBufferPointer, into block: inout FieldBlock
  ) throws(H2TranslationError) {
    precondition(head.statusCode >= 100 && head.statusCode < 200, "not an informational head")
    if head.statusCode == 101 { throw .response(.switchingProtocols) }
    fill(head, source, contentLength: nil, into: &block)
  }

  /// Writes `:status` and the forwarded fields; `contentLength` is written (canonically) at the first
  /// Content-Length field when non-nil, every Content-Length field is skipped otherwise.
  static func fill(
    _ head: ResponseHead, _ source: UnsafeRawBufferPointer, contentLength: UInt64?, into block: inout FieldBlock
  ) {
    block.removeAll()
    block.reserveCapacity(bytes: head.headLength, fields: head.headers.count + 1)
    block.append(name: ":status", decimal: UInt64(head.statusCode))
    guard let p = source.baseAddress else { return }
    var lengthPending = contentLength != nil
    for field in head.headers {
      if field.known == .contentLength {
        // Written from the parsed value rather than copied: it may have come as a list (`5, 5`) or
        // repeated (then every field is marked drop).
        if lengthPending, let n = contentLength {
          lengthPending = false
          block.append(name: "content-length", decimal: n)
        }
        continue
      }
      if field.drop || H2FieldRules.isConnectionSpecific(field.known) { continue }
      block.appendLowercasingName(field.name.bytes(p), value: field.value.bytes(p))
    }
  }
}
