// Size limits enforced while parsing a head.

/// Limits that bound the work and memory spent on one head. Exceeding them is an error, answered with
/// 414 or 431 (RFC 9110 §15.5.15, RFC 6585 §5).
public struct HeadLimits: Sendable, Equatable {
  /// Bytes of the whole head (leading empty lines, start-line, fields, final CRLF).
  public var maxHeadBytes: Int
  /// Number of field lines.
  public var maxHeaderCount: Int
  /// Bytes of the request-target.
  public var maxURILength: Int

  /// Creates limits; the defaults match common proxies (64 KiB head, 100 fields, 8 KiB target).
  public init(maxHeadBytes: Int = 65536, maxHeaderCount: Int = 100, maxURILength: Int = 8192) {
    self.maxHeadBytes = maxHeadBytes
    self.maxHeaderCount = maxHeaderCount
    self.maxURILength = maxURILength
  }
}
