// A slab of per-stream state, indexed from nghttp2's stream user data.

/// Open streams' ``H2StreamState`` in one array with a free list, so opening a stream on a warm session
/// allocates nothing (apart from the stream's body buffer once it carries a body).
///
/// nghttp2 stores `index + 1` as the stream's user data pointer; the session checks the slot's stream
/// id on every lookup, so a stale index can never reach another stream's state.
struct H2StreamTable {
  private(set) var slots: [H2StreamState] = []
  private var free: [Int32] = []
  /// Client requests submitted but not yet sent: nghttp2 creates the stream (and its user data) only
  /// when the HEADERS frame is serialized, so until then the slot is found here (a short list).
  private var unopened: [Int32] = []
  /// Slots in use: the open streams the session knows about.
  private(set) var live = 0

  /// Takes a slot for `stream` (0 when the id is not known yet).
  mutating func allocate(stream: Int32) -> Int32 {
    let index: Int32
    if let reused = free.popLast() {
      index = reused
    } else {
      index = Int32(slots.count)
      slots.append(H2StreamState())
    }
    slots[Int(index)].streamID = stream
    slots[Int(index)].inUse = true
    live += 1
    return index
  }

  /// Remembers that slot `index` holds a submitted request whose stream nghttp2 has not opened yet.
  mutating func awaitOpening(_ index: Int32) {
    unopened.append(index)
  }

  /// nghttp2 opened the stream of slot `index` (its user data now leads to the slot).
  mutating func opened(_ index: Int32) {
    if let k = unopened.firstIndex(of: index) { unopened.remove(at: k) }
  }

  /// Frees a slot and the body buffer it owns.
  mutating func release(_ index: Int32) {
    let i = Int(index)
    guard slots[i].inUse else { return }
    opened(index)
    slots[i].body.release()
    slots[i] = H2StreamState()
    free.append(index)
    live -= 1
  }

  /// The slot of `stream`, if `userData` (nghttp2's stream user data) names a live slot for it.
  func index(of stream: Int32, userData: UnsafeMutableRawPointer?) -> Int32? {
    guard let userData else {
      for index in unopened where slots[Int(index)].streamID == stream { return index }
      return nil
    }
    let i = Int(bitPattern: userData) - 1
    guard i >= 0, i < slots.count, slots[i].inUse, slots[i].streamID == stream else { return nil }
    return Int32(i)
  }

  /// The user data pointer that names slot `index`.
  static func userData(_ index: Int32) -> UnsafeMutableRawPointer? {
    UnsafeMutableRawPointer(bitPattern: Int(index) + 1)
  }

  subscript(index: Int32) -> H2StreamState {
    get { slots[Int(index)] }
    _modify { yield &slots[Int(index)] }
  }

  /// Frees every body buffer (session teardown).
  mutating func releaseAll() {
    for i in slots.indices where slots[i].inUse { slots[i].body.release() }
    slots.removeAll()
    free.removeAll()
    unopened.removeAll()
    live = 0
  }
}
