// nghttp2_nv arrays built over a FieldBlock's byte store.
import CNghttp2
import TracegateHTTP

/// A reused `nghttp2_nv` array: submitting a header block points each entry into the ``FieldBlock``'s
/// bytes for the duration of the call (nghttp2 copies them), so no per-field allocation is needed.
struct H2NameValues {
  private var base: UnsafeMutablePointer<nghttp2_nv>?
  private var capacity = 0

  /// Calls `body` with `fields` as an `nghttp2_nv` array, valid only inside the call.
  mutating func with<R>(_ fields: FieldBlock, _ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
    let count = fields.count
    if count > capacity {
      base?.deallocate()
      var grown = max(capacity, 16)
      while grown < count { grown <<= 1 }
      base = UnsafeMutablePointer<nghttp2_nv>.allocate(capacity: grown)
      capacity = grown
    }
    let nv = base
    return fields.withUnsafeBytes { raw in
      let bytes = UnsafeMutablePointer(mutating: raw.baseAddress?.assumingMemoryBound(to: UInt8.self))
      for i in 0..<count {
        let e = fields.entries[i]
        (nv! + i).initialize(to: nghttp2_nv(
          name: bytes.map { $0 + Int(e.nameStart) }, value: bytes.map { $0 + Int(e.valueStart) },
          namelen: Int(e.nameLength), valuelen: Int(e.valueLength), flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
      }
      return body(UnsafePointer(nv), count)
    }
  }

  mutating func release() {
    base?.deallocate()
    base = nil
    capacity = 0
  }
}
