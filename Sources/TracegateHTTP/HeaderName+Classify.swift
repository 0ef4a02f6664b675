// Case-insensitive classification of a field name into HeaderName.

extension HeaderName {
  /// Classifies the field name at `p` (`count` bytes, already validated as `tchar`s).
  ///
  /// Dispatches on length, then on the first letter, then compares once. Because the name holds only
  /// `tchar`s, `byte | 0x20` lower-cases letters and leaves every byte that could equal a lower-case
  /// letter, digit or `-` unchanged, so one `or` per byte is an exact case-insensitive comparison.
  static func classify(_ p: UnsafeRawPointer, _ count: Int) -> HeaderName {
    let first = ASCII.byte(p, 0) | 0x20
    switch count {
    case 2: return m(p, count, "te") ? .te : .other
    case 3: return m(p, count, "via") ? .via : .other
    case 4:
      if first == 0x68 { return m(p, count, "host") ? .host : .other }
      return m(p, count, "date") ? .date : .other
    case 6:
      switch first {
      case 0x65: return m(p, count, "expect") ? .expect : .other
      case 0x63: return m(p, count, "cookie") ? .cookie : .other
      case 0x73: return m(p, count, "server") ? .server : .other
      default: return .other
      }
    case 7:
      switch first {
      case 0x74: return m(p, count, "trailer") ? .trailer : .other
      case 0x75: return m(p, count, "upgrade") ? .upgrade : .other
      case 0x62: return m(p, count, "baggage") ? .baggage : .other
      default: return .other
      }
    case 9: return m(p, count, "forwarded") ? .forwarded : .other
    case 10:
      switch first {
      case 0x63: return m(p, count, "connection") ? .connection : .other
      case 0x6B: return m(p, count, "keep-alive") ? .keepAlive : .other
      case 0x74: return m(p, count, "tracestate") ? .tracestate : .other
      case 0x73: return m(p, count, "set-cookie") ? .setCookie : .other
      case 0x75: return m(p, count, "user-agent") ? .userAgent : .other
      default: return .other
      }
    case 11:
      if first == 0x74 { return m(p, count, "traceparent") ? .traceparent : .other }
      return m(p, count, "retry-after") ? .retryAfter : .other
    case 13: return m(p, count, "authorization") ? .authorization : .other
    case 14:
      if first == 0x63 { return m(p, count, "content-length") ? .contentLength : .other }
      return m(p, count, "http2-settings") ? .http2Settings : .other
    case 15:
      if first == 0x78 { return m(p, count, "x-forwarded-for") ? .xForwardedFor : .other }
      return m(p, count, "idempotency-key") ? .idempotencyKey : .other
    case 16:
      if first == 0x70 { return m(p, count, "proxy-connection") ? .proxyConnection : .other }
      return m(p, count, "x-forwarded-host") ? .xForwardedHost : .other
    case 17:
      if first == 0x74 { return m(p, count, "transfer-encoding") ? .transferEncoding : .other }
      return m(p, count, "x-forwarded-proto") ? .xForwardedProto : .other
    case 18: return m(p, count, "proxy-authenticate") ? .proxyAuthenticate : .other
    case 19: return m(p, count, "proxy-authorization") ? .proxyAuthorization : .other
    default: return .other
    }
  }

  /// Compares a token-validated name against a lower-case literal of the same length.
  @inline(__always)
  private static func m(_ p: UnsafeRawPointer, _ count: Int, _ literal: StaticString) -> Bool {
    literal.withUTF8Buffer { lit in
      guard lit.count == count else { return false }
      var i = 0
      while i < count {
        if ASCII.byte(p, i) | 0x20 != lit[i] { return false }
        i += 1
      }
      return true
    }
  }
}
