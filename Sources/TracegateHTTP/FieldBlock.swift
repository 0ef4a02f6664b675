// FieldBlock: header fields as one byte store plus offsets, for HTTP/2 translation.

/// A list of header fields (name, value) kept as one contiguous byte store plus offsets.
///
/// Why: HTTP/2 header blocks travel between nghttp2 (which hands out and takes `nghttp2_nv`
/// pointer pairs) and the HTTP/1.1 head text the exchange code speaks. Keeping the fields in one
/// growable store means a block is built and read without a `String` or an allocation per field,
/// and a reused block (`removeAll()`) allocates nothing once warm. Pseudo-header fields
/// (`:method`, `:status`, …) are ordinary entries whose name starts with a colon.
///
/// Worker-confined value: copies copy the arrays (copy-on-write), so it may be kept anywhere.
public struct FieldBlock: Sendable {
  /// One field: where its name and value sit in ``bytes``.
  public struct Entry: Sendable, Equatable {
    public var nameStart: Int32
    public var nameLength: Int32
    public var valueStart: Int32
    public var valueLength: Int32
  }

  /// Names and values back to back.
  public internal(set) var bytes: [UInt8] = []
  /// The fields, in order.
  public internal(set) var entries: [Entry] = []

  public init() {}

  /// Number of fields.
  @inlinable
  public var count: Int { entries.count }

  /// Empties the block, keeping its storage for the next use.
  public mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
  }

  /// Appends a field from raw bytes (copied).
  public mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
    let nameStart = bytes.count
    bytes.append(contentsOf: name)
    let valueStart = bytes.count
    bytes.append(contentsOf: value)
    entries.append(Entry(nameStart: Int32(nameStart), nameLength: Int32(name.count),
                         valueStart: Int32(valueStart), valueLength: Int32(value.count)))
  }

  /// Appends a field whose name is a constant (`":status"`, `"via"`).
  public mutating func append(name: StaticString, value: UnsafeRawBufferPointer) {
    name.withUTF8Buffer { append(name: UnsafeRawBufferPointer($0), value: value) }
  }

  /// Appends a field whose name and value are constants.
  public mutating func append(name: StaticString, value: StaticString) {
    value.withUTF8Buffer { append(name: name, value: UnsafeRawBufferPointer($0)) }
  }

  /// Appends a field from bytes of any collection (tests, rare paths).
  public mutating func append(name: some Collection<UInt8>, value: some Collection<UInt8>) {
    let nameStart = bytes.count
    bytes.append(contentsOf: name)
    let valueStart = bytes.count
    bytes.append(contentsOf: value)
    entries.append(Entry(nameStart: Int32(nameStart), nameLength: Int32(valueStart - nameStart),
                         valueStart: Int32(valueStart), valueLength: Int32(bytes.count - valueStart)))
  }

  /// Calls `body` with the name and value of field `i`, valid only inside the call.
  @inlinable
  public func withField<R>(_ i: Int, _ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let e = entries[i]
    return try bytes.withUnsafeBytes { raw in
      try body(UnsafeRawBufferPointer(rebasing: raw[Int(e.nameStart)..<Int(e.nameStart + e.nameLength)]),
               UnsafeRawBufferPointer(rebasing: raw[Int(e.valueStart)..<Int(e.valueStart + e.valueLength)]))
    }
  }

  /// The whole store, for code (nghttp2 submission) that points into it for the duration of a call.
  @inlinable
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes(body)
  }

  /// Field `i` as strings (tests, logs).
  public func field(_ i: Int) -> (name: String, value: String) {
    withField(i) { (String(decoding: $0, as: UTF8.self), String(decoding: $1, as: UTF8.self)) }
  }

  /// The value of the first field named `name` (exact, case-sensitive bytes), as a string; tests and rare paths.
  public func value(of name: String) -> String? {
    let wanted = Array(name.utf8)
    for i in entries.indices {
      let hit = withField(i) { n, v in n.elementsEqual(wanted) ? String(decoding: v, as: UTF8.self) : nil }
      if let hit { return hit }
    }
    return nil
  }
}
