// A manually managed, growable byte buffer owned by a connection slot.

/// A growable byte buffer with manual memory management.
///
/// It is a plain `Copyable` struct on purpose, so it can live inside the plain structs of a per-worker
/// connection table without reference counting or `~Copyable` constraints. The price: **copies share the
/// same storage**, and the owner must call ``release()`` exactly once, after which no copy may be used.
/// `readerIndex..<writerIndex` is the readable part; `writerIndex..<capacity` is free space.
///
/// Worker-confined: not `Sendable`.
public struct IOBuffer {
  /// Start of the storage; nil until the first reservation.
  public private(set) var base: UnsafeMutableRawPointer?
  /// Bytes of storage.
  public private(set) var capacity: Int
  /// Offset of the first readable byte.
  public private(set) var readerIndex: Int
  /// Offset one past the last readable byte.
  public internal(set) var writerIndex: Int

  /// Alignment of the storage; 16 suits any SIMD load the data plane may do.
  static let alignment = 16

  /// A buffer without storage; the first append or ``reserve(minimumWritable:)`` allocates.
  public init() {
    base = nil
    capacity = 0
    readerIndex = 0
    writerIndex = 0
  }

  /// A buffer with exactly `capacity` bytes of storage (none when `capacity` is 0).
  public init(capacity: Int) {
    self.init()
    precondition(capacity >= 0, "negative capacity")
    if capacity > 0 {
      base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: IOBuffer.alignment)
      self.capacity = capacity
    }
  }

  /// Bytes between the reader and writer indices.
  @inlinable
  public var readableBytes: Int { writerIndex - readerIndex }

  /// Free bytes after the writer index (`capacity - writerIndex`).
  @inlinable
  public var writableBytes: Int { capacity - writerIndex }

  /// True when nothing is readable.
  @inlinable
  public var isEmpty: Bool { writerIndex == readerIndex }

  /// The readable bytes; empty (count 0, nil start) when there is no storage.
  public var readable: UnsafeRawBufferPointer {
    guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: base + readerIndex, count: writerIndex - readerIndex)
  }

  /// The free space after the writer index, for `read(2)` to fill; call ``moveWriterIndex(by:)`` after.
  public var writable: UnsafeMutableRawBufferPointer {
    guard let base else { return UnsafeMutableRawBufferPointer(start: nil, count: 0) }
    return UnsafeMutableRawBufferPointer(start: base + writerIndex, count: capacity - writerIndex)
  }

  /// Ensures at least `minimumWritable` free bytes after the writer index: compacts when that suffices,
  /// otherwise moves the readable bytes into new storage whose size is a power of two.
  ///
  /// Growth allocates, copies only the readable bytes and frees the old storage (the stdlib has no
  /// `realloc`, and copying just the live bytes compacts at the same time).
  public mutating func reserve(minimumWritable: Int) {
    precondition(minimumWritable >= 0, "negative reservation")
    if capacity - writerIndex >= minimumWritable { return }
    let live = writerIndex - readerIndex
    if readerIndex > 0 && capacity - live >= minimumWritable {
      compact()
      return
    }
    let needed = live + minimumWritable
    var newCapacity = max(capacity, 64)
    while newCapacity < needed { newCapacity <<= 1 }
    if newCapacity & (newCapacity - 1) != 0 {  // an odd initial capacity: round up to a power of two
      newCapacity = 1 << (Int.bitWidth - (newCapacity - 1).leadingZeroBitCount)
    }
    let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: IOBuffer.alignment)
    if let base {
      if live > 0 { newBase.copyMemory(from: base + readerIndex, byteCount: live) }
      base.deallocate()
    }
    base = newBase
    capacity = newCapacity
    readerIndex = 0
    writerIndex = live
  }

  /// Moves the readable bytes to offset 0, so all free space is after the writer index.
  public mutating func compact() {
    guard let base, readerIndex > 0 else { return }
    let live = writerIndex - readerIndex
    if live > 0 { base.copyMemory(from: base + readerIndex, byteCount: live) }  // memmove semantics
    readerIndex = 0
    writerIndex = live
  }

  /// Commits `n` bytes written into ``writable`` (or, with a negative `n`, takes back unread bytes from the
  /// end, never past the reader index).
  public mutating func moveWriterIndex(by n: Int) {
    precondition(writerIndex + n <= capacity && writerIndex + n >= readerIndex, "writer index out of range")
    writerIndex += n
  }

  /// Consumes `n` readable bytes. When nothing readable remains, both indices return to 0 so the whole
  /// storage is free again without copying.
  public mutating func moveReaderIndex(by n: Int) {
    precondition(n >= 0 && readerIndex + n <= writerIndex, "reader index out of range")
    readerIndex += n
    if readerIndex == writerIndex {
      readerIndex = 0
      writerIndex = 0
    }
  }

  /// Forgets all readable bytes, keeping the storage.
  public mutating func clear() {
    readerIndex = 0
    writerIndex = 0
  }

  /// Frees the storage. Call exactly once per storage, from the owner; every copy is invalid afterwards.
  /// The buffer is left empty and may be reused (it allocates again on demand).
  public mutating func release() {
    base?.deallocate()
    base = nil
    capacity = 0
    readerIndex = 0
    writerIndex = 0
  }
}

@available(*, unavailable, message: "IOBuffer is owned by one worker; its storage is not shared safely")
extension IOBuffer: Sendable {}
