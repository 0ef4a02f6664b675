// ProtobufWriter.swift — protobuf wire format written straight into one buffer.
import Glibc

/// Appends protobuf wire-format fields to one growable buffer, nested messages included, in one
/// pass. The buffer is raw memory with one capacity check per field, not per byte: a request's
/// two spans are some 60 fields, written on the drain thread for every exported request.
///
/// Why not only the generated swift-protobuf messages: building them allocates per field, and
/// serializing nested messages recomputes every sub-message's size at each level of nesting
/// (`serializedDataSize` inside `visitSingularMessageField`); at 100% sampling that cost about
/// 30 µs per request on the proxy's core, more than the whole request. Here a nested message gets a
/// one-byte length placeholder that is widened in place (one `memmove` of the message) only when
/// it turns out longer than 127 bytes, so the output is byte-for-byte what swift-protobuf
/// produces — which the tests check against the generated types.
struct ProtobufWriter {
    /// The buffer; shared by copies of the writer (a writer is used by one thread at a time, and a
    /// copy only exists while a closure borrows it), so no copy-on-write check runs per byte.
    let out: GrowableBytes

    init(capacity: Int) { out = GrowableBytes(capacity: capacity) }

    /// The bytes written so far, as an array (one copy).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: out.base, count: out.count)) }

    var count: Int { out.count }

    enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    @inline(__always)
    func tag(_ field: UInt32, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    @inline(__always)
    func varint(_ value: UInt64) {
        out.reserve(10)
        var v = value
        while v >= 0x80 {
            out.put(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.put(UInt8(v))
    }

    /// A proto3 scalar string: nothing when empty (the default is not written).
    func string(_ field: UInt32, _ value: String) {
        guard !value.isEmpty else { return }
        stringAlways(field, value)
    }

    /// A string written even when empty (a `oneof` member has presence).
    func stringAlways(_ field: UInt32, _ value: String) {
        tag(field, .lengthDelimited)
        var s = value
        s.withUTF8 { u in
            varint(UInt64(u.count))
            out.append(UnsafeRawBufferPointer(u))
        }
    }

    /// A string field from raw UTF-8 bytes (nothing when empty unless `always`).
    func string(_ field: UInt32, bytes value: UnsafeRawBufferPointer, always: Bool = false) {
        guard always || value.count > 0 else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        out.append(value)
    }

    /// Appends raw bytes (inside a length-delimited field the caller opened).
    func raw(_ value: UnsafeRawBufferPointer) { out.append(value) }

    func raw(_ value: String) {
        var s = value
        s.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
    }

    func raw(_ value: StaticString) {
        out.append(UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    func raw(byte: UInt8) {
        out.reserve(1)
        out.put(byte)
    }

    /// Appends `value` in decimal.
    func rawDecimal(_ value: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { d in
            var v = value
            var i = 24
            repeat {
                i -= 1
                d[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            out.append(UnsafeRawBufferPointer(rebasing: d[i...]))
        }
    }

    /// `bytes` field holding `id` big-endian (trace and span ids).
    func id(_ field: UInt32, hi: UInt64, lo: UInt64) {
        tag(field, .lengthDelimited)
        out.reserve(17)
        out.put(16)
        out.putBigEndian(hi)
        out.putBigEndian(lo)
    }

    func id(_ field: UInt32, _ value: UInt64) {
        tag(field, .lengthDelimited)
        out.reserve(9)
        out.put(8)
        out.putBigEndian(value)
    }

    /// A proto3 `fixed64` (nothing when 0).
    func fixed64(_ field: UInt32, _ value: UInt64) {
        guard value != 0 else { return }
        fixed64Always(field, value)
    }

    func fixed64Always(_ field: UInt32, _ value: UInt64) {
        tag(field, .fixed64)
        out.reserve(8)
        out.putLittleEndian(value, bytes: 8)
    }

    /// A proto3 `fixed32` (nothing when 0).
    func fixed32(_ field: UInt32, _ value: UInt32) {
        guard value != 0 else { return }
        tag(field, .fixed32)
        out.reserve(4)
        out.putLittleEndian(UInt64(value), bytes: 4)
    }

    /// A proto3 enum or unsigned integer (nothing when 0).
    func uint(_ field: UInt32, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, .varint)
        varint(value)
    }

    /// An embedded message; `body` writes its fields. Written even when empty (message presence).
    func message(_ field: UInt32, _ body: (inout ProtobufWriter) -> Void) {
        let lengthAt = openMessage(field)
        var w = self
        body(&w)
        closeMessage(lengthAt)
    }

    /// Starts an embedded message whose fields the caller writes next; returns where its length
    /// goes, for ``closeMessage(_:)``.
    func openMessage(_ field: UInt32) -> Int {
        tag(field, .lengthDelimited)
        out.reserve(1)
        out.put(0)
        return out.count - 1
    }

    /// Ends the message opened at `lengthAt`: writes its length, widening the placeholder when
    /// the message is 128 bytes or longer.
    func closeMessage(_ lengthAt: Int) {
        let length = out.count - lengthAt - 1
        if length < 0x80 {
            out.base[lengthAt] = UInt8(length)
            return
        }
        var extra = 0
        var v = UInt64(length) >> 7
        while v > 0 {
            extra += 1
            v >>= 7
        }
        out.reserve(extra)
        let content = out.base + lengthAt + 1
        memmove(content + extra, content, length)  // the ranges overlap
        out.count += extra
        var p = lengthAt
        v = UInt64(length)
        while v >= 0x80 {
            out.base[p] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            p += 1
        }
        out.base[p] = UInt8(v)
    }
}

/// The writer's memory: raw, growable, freed with the last writer that refers to it.
final class GrowableBytes {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `n` more bytes.
    @inline(__always)
    func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    private func grow(to needed: Int) {
        let next = max(needed, capacity * 2)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: next)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = next
    }

    /// One byte; the caller reserved room.
    @inline(__always)
    func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: src, byteCount: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    func putBigEndian(_ v: UInt64) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.bigEndian, as: UInt64.self)
        count += 8
    }

    @inline(__always)
    func putLittleEndian(_ v: UInt64, bytes n: Int) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { UnsafeMutableRawPointer(base + count).copyMemory(from: $0.baseAddress!, byteCount: n) }
        count += n
    }
}
