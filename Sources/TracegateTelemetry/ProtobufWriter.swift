// ProtobufWriter.swift — protobuf wire format written straight into one byte array.

/// Appends protobuf wire-format fields to a byte array, nested messages included, in one pass.
///
/// Why not only the generated swift-protobuf messages: building them allocates per field, and
/// serializing nested messages recomputes every sub-message's size at each level of nesting
/// (`serializedDataSize` inside `visitSingularMessageField`); at 100% sampling that cost about
/// 30 µs per request on the proxy's core, more than the whole request. Here a nested message gets a
/// one-byte length placeholder that is widened in place (one `memmove` of the message) only when
/// it turns out longer than 127 bytes, so the output is byte-for-byte what swift-protobuf
/// produces — which the tests check against the generated types.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    @inline(__always)
    mutating func tag(_ field: UInt32, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A proto3 scalar string: nothing when empty (the default is not written).
    mutating func string(_ field: UInt32, _ value: String) {
        guard !value.isEmpty else { return }
        stringAlways(field, value)
    }

    /// A string written even when empty (a `oneof` member has presence).
    mutating func stringAlways(_ field: UInt32, _ value: String) {
        tag(field, .lengthDelimited)
        var s = value
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    /// A string field from raw UTF-8 bytes (nothing when empty unless `always`).
    mutating func string(_ field: UInt32, bytes value: UnsafeRawBufferPointer, always: Bool = false) {
        guard always || value.count > 0 else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends raw bytes (inside a length-delimited field the caller opened).
    mutating func raw(_ value: UnsafeRawBufferPointer) { bytes.append(contentsOf: value) }

    mutating func raw(_ value: String) {
        var s = value
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ value: StaticString) {
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    mutating func raw(byte: UInt8) { bytes.append(byte) }

    /// Appends `value` in decimal.
    mutating func rawDecimal(_ value: UInt64) {
        if value >= 10 { rawDecimal(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// `bytes` field holding `id` big-endian (trace and span ids).
    mutating func id(_ field: UInt32, hi: UInt64, lo: UInt64) {
        tag(field, .lengthDelimited)
        bytes.append(16)
        appendBigEndian(hi)
        appendBigEndian(lo)
    }

    mutating func id(_ field: UInt32, _ value: UInt64) {
        tag(field, .lengthDelimited)
        bytes.append(8)
        appendBigEndian(value)
    }

    private mutating func appendBigEndian(_ v: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// A proto3 `fixed64` (nothing when 0).
    mutating func fixed64(_ field: UInt32, _ value: UInt64) {
        guard value != 0 else { return }
        fixed64Always(field, value)
    }

    mutating func fixed64Always(_ field: UInt32, _ value: UInt64) {
        tag(field, .fixed64)
        for shift in stride(from: 0, through: 56, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// A proto3 `fixed32` (nothing when 0).
    mutating func fixed32(_ field: UInt32, _ value: UInt32) {
        guard value != 0 else { return }
        tag(field, .fixed32)
        for shift in stride(from: 0, through: 24, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// A proto3 enum or unsigned integer (nothing when 0).
    mutating func uint(_ field: UInt32, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, .varint)
        varint(value)
    }

    /// An embedded message; `body` writes its fields. Written even when empty (message presence).
    mutating func message(_ field: UInt32, _ body: (inout ProtobufWriter) -> Void) {
        let lengthAt = openMessage(field)
        body(&self)
        closeMessage(lengthAt)
    }

    /// Starts an embedded message whose fields the caller writes next; returns where its length
    /// goes, for ``closeMessage(_:)``.
    mutating func openMessage(_ field: UInt32) -> Int {
        tag(field, .lengthDelimited)
        bytes.append(0)
        return bytes.count - 1
    }

    /// Ends the message opened at `lengthAt`: writes its length, widening the placeholder when
    /// the message is 128 bytes or longer.
    mutating func closeMessage(_ lengthAt: Int) {
        let length = bytes.count - lengthAt - 1
        if length < 0x80 {
            bytes[lengthAt] = UInt8(length)
            return
        }
        var prefix: [UInt8] = []
        var v = UInt64(length)
        while v >= 0x80 {
            prefix.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        prefix.append(UInt8(v))
        bytes.replaceSubrange(lengthAt..<(lengthAt + 1), with: prefix)
    }
}
