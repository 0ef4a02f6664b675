// Offsets into a parsed buffer.

/// A half-open range `start..<end` of byte offsets into the buffer that was parsed.
///
/// Heads are parsed into offsets rather than `String`s or slices so that parsing allocates nothing and
/// the proxy can copy kept spans verbatim. The offsets are only meaningful together with that buffer.
public struct ByteRange: Equatable, Sendable {
  /// Offset of the first byte.
  public var start: Int
  /// Offset one past the last byte.
  public var end: Int

  /// Number of bytes in the range.
  @inlinable
  public var count: Int { end - start }

  /// Creates the range `start..<end`.
  @inlinable
  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }

  /// The empty range at offset 0.
  public static let empty = ByteRange(start: 0, end: 0)

  /// The bytes of this range inside `buffer` (which must be the buffer that was parsed).
  @inlinable
  public func bytes(in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    precondition(start >= 0 && start <= end && end <= buffer.count, "ByteRange outside its buffer")
    guard let base = buffer.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: base + start, count: end - start)
  }
}
