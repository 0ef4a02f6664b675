// Framing, connection and host rules applied once a head is complete (RFC 9112 §6, §9; RFC 9110 §7).

extension HeadParser {
  /// Applies the request rules, in this order of precedence:
  /// 1. Content-Length with Transfer-Encoding → error (RFC 9112 §6.1 allows rejecting; it is the classic
  ///    smuggling shape, so Tracegate always does).
  /// 2. Invalid or conflicting Content-Length → error (§6.3 item 5).
  /// 3. Transfer-Encoding on HTTP/1.0 (§6.1: faulty framing), or not ending in exactly one `chunked`
  ///    → 501 (§6.3 item 4, 6.1).
  /// 4. More than one Host, or none on HTTP/1.1 → 400 (§3.2); a Host that is not `uri-host [":" port]`
  ///    → 400 (RFC 9110 §7.2).
  static func applyRequestSemantics(_ p: UnsafeRawPointer, _ head: inout RequestHead) throws(HTTPParseError) {
    let s = FieldSummary(p, head.headers)
    if s.transferEncodingCount > 0 && s.contentLengthCount > 0 {
      throw HTTPParseError(.contentLengthWithTransferEncoding)
    }
    if let error = s.contentLengthError { throw HTTPParseError(error) }
    if s.transferEncodingCount > 0 {
      if head.version == .http1_0 || !s.transferCodings.isChunkedOnceAndFinal {
        throw HTTPParseError(.unsupportedTransferEncoding)
      }
      head.framing = .chunked
      if !s.transferEncodingIsCanonical {
        head.rewritesTransferEncoding = true
        setDrop(true, on: .transferEncoding, in: &head.headers)
      }
    } else if s.contentLengthCount > 0 {
      head.framing = .contentLength(s.contentLength)
      head.contentLength = s.contentLength
      if s.contentLengthNeedsRewrite {
        head.rewritesContentLength = true
        setDrop(true, on: .contentLength, in: &head.headers)
      }
    } else {
      head.framing = .none  // RFC 9112 §6.3 item 7
    }
    if s.hostCount > 1 { throw HTTPParseError(.duplicateHost) }
    if s.hostCount == 0 && head.version == .http1_1 { throw HTTPParseError(.missingHost) }
    if s.hostIndex >= 0 && !HostValue.isValid(head.headers[s.hostIndex].value.bytes(p)) {
      throw HTTPParseError(.invalidHost)
    }
    head.hostIndex = s.hostIndex

    let http11 = head.version == .http1_1
    head.keepAlive = http11 ? !s.connection.close : (s.connection.keepAlive && !s.connection.close)
    head.expectsContinue = http11 && s.expectsContinue
    // RFC 9110 §7.8: Upgrade is ignored on HTTP/1.0 and only meaningful when listed in Connection.
    head.upgrade = http11 && s.connection.upgrade && s.hasUpgradeField
    if s.connection.namesOtherFields { dropConnectionOptions(p, &head.headers) }
    if head.upgrade {
      setDrop(false, on: .connection, in: &head.headers)
      setDrop(false, on: .upgrade, in: &head.headers)
    }
  }

  /// Applies the response framing rules of RFC 9112 §6.3 given the request method:
  /// HEAD, 1xx, 204, 304 and 2xx to CONNECT have no body; else Transfer-Encoding ending in `chunked` is
  /// chunked and overrides (and drops) Content-Length; a Transfer-Encoding that does not end in `chunked`
  /// reads until close; else a valid Content-Length; else until close. HTTP/1.0 with Transfer-Encoding is
  /// faulty framing (§6.1): read until close, dropping both framing fields.
  static func applyResponseSemantics(
    _ p: UnsafeRawPointer, _ head: inout ResponseHead, requestMethod: HTTPMethod
  ) throws(HTTPParseError) {
    let s = FieldSummary(p, head.headers)
    let code = head.statusCode
    var framing: BodyFraming
    if s.transferEncodingCount > 0 {
      setDrop(true, on: .contentLength, in: &head.headers)
      if head.version == .http1_0 {
        setDrop(true, on: .transferEncoding, in: &head.headers)
        framing = .untilClose
      } else if s.transferCodings.isChunkedOnceAndFinal {
        framing = .chunked
      } else {
        framing = .untilClose
      }
    } else if s.contentLengthCount > 0 {
      if let error = s.contentLengthError { throw HTTPParseError(error) }
      framing = .contentLength(s.contentLength)
      head.contentLength = s.contentLength
      if s.contentLengthNeedsRewrite {
        head.rewritesContentLength = true
        setDrop(true, on: .contentLength, in: &head.headers)
      }
    } else {
      framing = .untilClose
    }
    let bodiless =
      requestMethod == .head || code < 200 || code == 204 || code == 304
      || (requestMethod == .connect && code < 300)
    if bodiless { framing = .none }
    head.framing = framing
    if framing == .chunked && !s.transferEncodingIsCanonical {
      head.rewritesTransferEncoding = true
      setDrop(true, on: .transferEncoding, in: &head.headers)
    }

    let http11 = head.version == .http1_1
    let persistent = http11 ? !s.connection.close : (s.connection.keepAlive && !s.connection.close)
    head.keepAlive = persistent && framing != .untilClose
    head.upgrade = code == 101 && s.connection.upgrade && s.hasUpgradeField
    if s.connection.namesOtherFields { dropConnectionOptions(p, &head.headers) }
    if head.upgrade {
      setDrop(false, on: .connection, in: &head.headers)
      setDrop(false, on: .upgrade, in: &head.headers)
    }
  }

  /// Sets `drop` on every field with the given name.
  static func setDrop(_ drop: Bool, on name: HeaderName, in headers: inout [HeaderField]) {
    var i = 0
    while i < headers.count {
      if headers[i].known == name { headers[i].drop = drop }
      i += 1
    }
  }

  /// Marks every field named by a `Connection` option as dropped (RFC 9110 §7.6.1), comparing names
  /// case-insensitively. `close`, `keep-alive` and `upgrade` name fields that are hop-by-hop anyway;
  /// `Host`, `Content-Length` and `Transfer-Encoding` are never dropped this way (see
  /// ``HeaderName/isHopByHop``).
  static func dropConnectionOptions(_ p: UnsafeRawPointer, _ headers: inout [HeaderField]) {
    let count = headers.count
    var c = 0
    while c < count {
      if headers[c].known == .connection {
        HeaderValueTokens.forEachToken(in: headers[c].value.bytes(p)) { token in
          if ConnectionOptions.classify(token) != 0 { return }
          var j = 0
          while j < count {
            let field = headers[j]
            if !field.drop && !field.known.isProtectedFromConnectionOption
              && ByteCompare.equalsCaseInsensitive(field.name.bytes(p), token)
            {
              headers[j].drop = true
            }
            j += 1
          }
        }
      }
      c += 1
    }
  }
}
