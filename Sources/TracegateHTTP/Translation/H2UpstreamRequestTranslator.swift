// Internal HTTP/1.1 request head -> the HTTP/2 request header block for an HTTP/2 upstream (RFC 9113 §8.3.1).

/// Translates a parsed (and possibly edited) HTTP/1.1 request head into the header block that opens a
/// stream to an HTTP/2 upstream, the mirror image of ``H2RequestTranslator``.
///
/// The block is `:method`, `:scheme`, `:authority` (from the absolute-form target, else from `Host`, which
/// is then not sent: RFC 9113 §8.3.1 prefers `:authority`), `:path`, then the fields in order with names
/// lower-cased (RFC 9113 §8.2.1), leaving out `Host`, fields marked ``HeaderField/drop`` and the
/// connection-specific ones (§8.2.2). Exceptions, because HTTP/2 frames the body itself (§8.1):
/// - `te` is sent as `te: trailers` when its value is `trailers`, although HTTP/1.1 parsing marks `TE`
///   hop-by-hop: HTTP/2 allows exactly that value end to end (§8.2.2) and gRPC servers require it;
/// - `content-length` is sent (one canonical field) when the framing is content-length, and never with
///   chunked framing; `transfer-encoding` is never sent: the data plane sends the de-chunked payload
///   (``BodyTracker/consume(_:payload:trailer:)``) as DATA frames.
public enum H2UpstreamRequestTranslator {
  /// Fills `block` with the header block for `head`.
  ///
  /// - Parameters:
  ///   - head: the parsed request head.
  ///   - source: the buffer `head` was parsed from.
  ///   - scheme: the scheme of the upstream connection, sent as `:scheme`.
  ///   - block: emptied (keeping its capacity), then filled.
  /// - Returns: whether a body follows (DATA frames); false lets the HEADERS frame carry END_STREAM.
  /// - Throws: ``H2TranslationError``: 501 for CONNECT and for transfer codings besides `chunked` (their
  ///   bytes mean nothing without the coding, which HTTP/2 cannot name); 400 for an asterisk-form target
  ///   on a method other than OPTIONS, and for an absolute-form authority that is not `host[:port]`
  ///   (userinfo included, RFC 9113 §8.3.1).
  public static func writeHeaderBlock(
    _ head: RequestHead, from source: UnsafeRawBufferPointer, scheme: HTTPScheme, into block: inout FieldBlock
  ) throws(H2TranslationError) -> Bool {
    guard let p = source.baseAddress else { preconditionFailure("a parsed head has a source buffer") }
    if head.method == .connect { throw .request(.connectNotSupported) }
    if head.framing == .chunked && !isChunkedOnly(head, p) { throw .request(.unsupportedTransferCoding) }
    let target = TargetParts(head.target.bytes(p))
    if target.kind == .invalid { throw .request(.invalidPath) }
    if target.kind == .asterisk && head.method != .options { throw .request(.invalidPath) }
    if target.kind == .absolute {
      if target.authority.count == 0 || !HostValue.isValid(target.authority) { throw .request(.invalidAuthority) }
    }

    block.removeAll()
    block.reserveCapacity(bytes: head.headLength + 32, fields: head.headers.count + 4)
    block.append(name: ":method", value: head.methodRange.bytes(p))
    block.append(name: ":scheme", value: scheme.literal)
    if target.kind == .absolute {
      block.append(name: ":authority", value: target.authority)
    } else if head.hostIndex >= 0 {
      // RFC 9112 §3.2: an empty Host means the target has no authority; HTTP/2 then omits :authority.
      let host = head.headers[head.hostIndex].value.bytes(p)
      if host.count > 0 { block.append(name: ":authority", value: host) }
    }
    appendPath(target, into: &block)

    var lengthPending: UInt64?
    if case .contentLength(let n) = head.framing { lengthPending = n }
    var teWritten = false
    for field in head.headers {
      switch field.known {
      case .host:
        continue
      case .contentLength:
        if let n = lengthPending {
          lengthPending = nil
          block.append(name: "content-length", decimal: n)
        }
        continue
      case .te:
        if !teWritten && H2FieldRules.isTrailers(field.value.bytes(p)) {
          teWritten = true
          block.append(name: "te", value: "trailers")
        }
        continue
      default:
        if field.drop || H2FieldRules.isConnectionSpecific(field.known) { continue }
        block.appendLowercasingName(field.name.bytes(p), value: field.value.bytes(p))
      }
    }

    switch head.framing {
    case .none, .contentLength(0): return false
    default: return true
    }
  }

  /// True when the Transfer-Encoding fields name `chunked` and nothing else.
  static func isChunkedOnly(_ head: RequestHead, _ p: UnsafeRawPointer) -> Bool {
    var codings = TransferCodingList()
    for field in head.headers where field.known == .transferEncoding { codings.add(field.value.bytes(p)) }
    return codings.isChunkedOnceAndFinal && codings.count == 1
  }

  /// Appends `:path`: the target's path and query, `/` first when an absolute-form target has no path
  /// (RFC 9113 §8.3.1: "http" and "https" URIs without a path use `/`).
  static func appendPath(_ target: TargetParts, into block: inout FieldBlock) {
    if target.pathNeedsSlash {
      let nameStart = block.bytes.count
      let name: StaticString = ":path"
      name.withUTF8Buffer { block.bytes.append(contentsOf: $0) }
      let valueStart = block.bytes.count
      block.bytes.append(ASCII.slash)
      block.bytes.append(contentsOf: target.path)
      block.appendEntry(nameStart: nameStart, valueStart: valueStart)
    } else {
      block.append(name: ":path", value: target.path)
    }
  }
}

/// A request-target split into what HTTP/2 sends as `:authority` and `:path` (RFC 9112 §3.2).
struct TargetParts {
  enum Kind { case origin, asterisk, absolute, invalid }

  var kind: Kind
  /// The authority of an absolute-form target (empty otherwise).
  var authority: UnsafeRawBufferPointer
  /// The path and query (for asterisk-form, `*`).
  var path: UnsafeRawBufferPointer
  /// The absolute-form target has no path: `/` goes before ``path``.
  var pathNeedsSlash: Bool

  /// Splits `target`: origin-form and `*` are kept as they are; `http://` / `https://` absolute-form is
  /// split at the first `/`, `?` or `#` after the authority (RFC 3986 §3.2); authority-form (CONNECT) and
  /// anything else is `.invalid`.
  init(_ target: UnsafeRawBufferPointer) {
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    authority = empty
    path = target
    pathNeedsSlash = false
    guard target.count > 0 else {
      kind = .invalid
      return
    }
    if target[0] == ASCII.slash {
      kind = .origin
      return
    }
    if target.count == 1 && target[0] == ASCII.asterisk {
      kind = .asterisk
      return
    }
    var start = 0
    if ByteCompare.hasPrefixCaseInsensitive(target, "http://") {
      start = 7
    } else if ByteCompare.hasPrefixCaseInsensitive(target, "https://") {
      start = 8
    } else {
      kind = .invalid
      return
    }
    var end = start
    while end < target.count {
      let b = target[end]
      if b == ASCII.slash || b == 0x3F || b == 0x23 { break }
      end += 1
    }
    kind = .absolute
    authority = UnsafeRawBufferPointer(rebasing: target[start..<end])
    path = UnsafeRawBufferPointer(rebasing: target[end...])
    pathNeedsSlash = path.count == 0 || path[0] != ASCII.slash
  }
}
