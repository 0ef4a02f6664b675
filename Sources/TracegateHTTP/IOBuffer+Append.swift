// Appending bytes, literals and decimals to an IOBuffer.

extension IOBuffer {
  /// Copies `count` bytes from `source` after the writer index (storage already reserved).
  @inline(__always)
  mutating func unsafeAppend(_ source: UnsafeRawPointer, count: Int) {
    guard count > 0, let base else { return }
    (base + writerIndex).copyMemory(from: source, byteCount: count)
    writerIndex += count
  }

  /// Appends raw bytes, growing as needed.
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(minimumWritable: bytes.count)
    unsafeAppend(source, count: bytes.count)
  }

  /// Appends the UTF-8 bytes of a literal.
  public mutating func append(_ string: StaticString) {
    string.withUTF8Buffer { utf8 in append(UnsafeRawBufferPointer(utf8)) }
  }

  /// Appends one byte.
  public mutating func append(byte: UInt8) {
    reserve(minimumWritable: 1)
    base!.storeBytes(of: byte, toByteOffset: writerIndex, as: UInt8.self)
    writerIndex += 1
  }

  /// Appends the decimal digits of `value` (with a leading `-` when negative) without creating a `String`.
  public mutating func appendDecimal(_ value: Int) {
    if value < 0 { append(byte: 0x2D) }
    appendDecimal(UInt64(value.magnitude))
  }

  /// Appends the decimal digits of `value` without creating a `String`.
  public mutating func appendDecimal(_ value: UInt64) {
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    reserve(minimumWritable: digits)
    let out = base! + writerIndex
    var v = value
    var k = digits - 1
    while k >= 0 {
      out.storeBytes(of: UInt8(truncatingIfNeeded: v % 10) &+ 0x30, toByteOffset: k, as: UInt8.self)
      v /= 10
      k -= 1
    }
    writerIndex += digits
  }

  /// Appends the bytes of any collection (convenience for tests and the control side; the hot path uses
  /// the raw-buffer overload).
  public mutating func append(_ bytes: some Collection<UInt8>) {
    let n = bytes.count
    guard n > 0 else { return }
    reserve(minimumWritable: n)
    let copied: Bool? = bytes.withContiguousStorageIfAvailable { storage in
      unsafeAppend(UnsafeRawPointer(storage.baseAddress!), count: n)
      return true
    }
    if copied == nil {
      var out = base! + writerIndex
      for b in bytes {
        out.storeBytes(of: b, as: UInt8.self)
        out += 1
      }
      writerIndex += n
    }
  }
}
