// Appending to a FieldBlock without per-field allocations: lower-cased names, decimal values, reservation.

extension FieldBlock {
  /// Reserves room for `bytes` more name/value bytes and `fields` more fields, so a block that is filled
  /// once per message reaches its working size in one step.
  public mutating func reserveCapacity(bytes extraBytes: Int, fields extraFields: Int) {
    bytes.reserveCapacity(bytes.count + extraBytes)
    entries.reserveCapacity(entries.count + extraFields)
  }

  /// Appends a field whose name is ASCII-lower-cased on the way in (other bytes are copied unchanged).
  ///
  /// Why: HTTP/2 requires lower-case field names (RFC 9113 §8.2.1) while HTTP/1.1 names arrive in any case
  /// (RFC 9110 §5.1); folding while copying avoids building a lower-cased copy first.
  public mutating func appendLowercasingName(_ name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
    let nameStart = bytes.count
    bytes.append(contentsOf: name)
    let valueStart = bytes.count
    bytes.withUnsafeMutableBufferPointer { store in
      var i = nameStart
      while i < valueStart {
        store[i] = ASCII.lower(store[i])
        i += 1
      }
    }
    bytes.append(contentsOf: value)
    appendEntry(nameStart: nameStart, valueStart: valueStart)
  }

  /// Appends a field with a constant name and the decimal digits of `value` (`content-length: 42`).
  mutating func append(name: StaticString, decimal value: UInt64) {
    let nameStart = bytes.count
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    let valueStart = bytes.count
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    bytes.append(contentsOf: repeatElement(ASCII.zero, count: digits))
    bytes.withUnsafeMutableBufferPointer { store in
      var v = value
      var k = valueStart + digits - 1
      while k >= valueStart {
        store[k] = UInt8(truncatingIfNeeded: v % 10) &+ ASCII.zero
        v /= 10
        k -= 1
      }
    }
    appendEntry(nameStart: nameStart, valueStart: valueStart)
  }

  /// Records the field whose name starts at `nameStart` and whose value runs from `valueStart` to the end
  /// of ``bytes``.
  @inline(__always)
  mutating func appendEntry(nameStart: Int, valueStart: Int) {
    entries.append(
      Entry(nameStart: Int32(nameStart), nameLength: Int32(valueStart - nameStart),
            valueStart: Int32(valueStart), valueLength: Int32(bytes.count - valueStart)))
  }

  /// The name of field `i` inside the store `raw` (from ``withUnsafeBytes(_:)``).
  @inline(__always)
  func name(_ i: Int, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    let e = entries[i]
    return UnsafeRawBufferPointer(rebasing: raw[Int(e.nameStart)..<Int(e.nameStart + e.nameLength)])
  }

  /// The value of field `i` inside the store `raw` (from ``withUnsafeBytes(_:)``).
  @inline(__always)
  func value(_ i: Int, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    let e = entries[i]
    return UnsafeRawBufferPointer(rebasing: raw[Int(e.valueStart)..<Int(e.valueStart + e.valueLength)])
  }
}
