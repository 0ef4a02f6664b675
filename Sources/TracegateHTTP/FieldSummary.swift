// What the field lines of a head say about framing, connection and host.

/// One pass over the parsed fields, collecting what the framing and connection rules need.
struct FieldSummary {
  var hostCount = 0
  var hostIndex = -1
  var contentLengthCount = 0
  var contentLength: UInt64 = 0
  var contentLengthError: HTTPParseError.Kind?
  /// List form or repeated fields: normalise to one canonical field when forwarding.
  var contentLengthNeedsRewrite = false
  var transferEncodingCount = 0
  var transferCodings = TransferCodingList()
  /// Exactly one Transfer-Encoding field already in canonical form (`chunked`, `gzip, chunked`): forwarded
  /// verbatim. Anything else that frames as chunked is re-emitted canonically
  /// (see ``RequestHead/rewritesTransferEncoding``).
  var transferEncodingIsCanonical = false
  var connection = ConnectionOptions()
  var hasUpgradeField = false
  var expectsContinue = false

  /// Collects from `headers`, whose ranges point into `p`.
  init(_ p: UnsafeRawPointer, _ headers: [HeaderField]) {
    var index = 0
    while index < headers.count {
      let field = headers[index]
      switch field.known {
      case .host:
        hostCount += 1
        if hostCount == 1 { hostIndex = index }
      case .contentLength:
        contentLengthCount += 1
        if contentLengthError == nil {
          let parsed = ContentLengthValue.parse(p, field.value)
          if let error = parsed.error {
            contentLengthError = error
          } else {
            if contentLengthCount > 1 && parsed.value != contentLength {
              contentLengthError = .conflictingContentLength
            }
            contentLength = parsed.value
            if parsed.elements > 1 || contentLengthCount > 1 { contentLengthNeedsRewrite = true }
          }
        }
      case .transferEncoding:
        transferEncodingCount += 1
        let value = field.value.bytes(p)
        transferCodings.add(value)
        transferEncodingIsCanonical = transferEncodingCount == 1 && TransferCodingList.isCanonical(value)
      case .connection:
        connection.add(field.value.bytes(p))
      case .upgrade:
        hasUpgradeField = true
      case .expect:
        // RFC 9110 §10.1.1: the only expectation defined; compared case-insensitively.
        if ByteCompare.equalsCaseInsensitive(field.value.bytes(p), "100-continue") { expectsContinue = true }
      default:
        break
      }
      index += 1
    }
  }
}

/// The options of all `Connection` fields (RFC 9110 §7.6.1).
struct ConnectionOptions {
  var close = false
  var keepAlive = false
  var upgrade = false
  /// An option naming some other field, which must then be dropped.
  var namesOtherFields = false

  mutating func add(_ value: UnsafeRawBufferPointer) {
    HeaderValueTokens.forEachToken(in: value) { token in
      switch ConnectionOptions.classify(token) {
      case 1: close = true
      case 2: keepAlive = true
      case 3: upgrade = true
      default: namesOtherFields = true
      }
    }
  }

  /// 1 for `close`, 2 for `keep-alive`, 3 for `upgrade`, 0 for any other option.
  static func classify(_ token: UnsafeRawBufferPointer) -> Int {
    if ByteCompare.equalsCaseInsensitive(token, "close") { return 1 }
    if ByteCompare.equalsCaseInsensitive(token, "keep-alive") { return 2 }
    if ByteCompare.equalsCaseInsensitive(token, "upgrade") { return 3 }
    return 0
  }
}

extension ByteRange {
  /// The bytes of this range relative to a base pointer (internal: ranges produced by the parser).
  @inline(__always)
  func bytes(_ p: UnsafeRawPointer) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: p + start, count: end - start)
  }
}
