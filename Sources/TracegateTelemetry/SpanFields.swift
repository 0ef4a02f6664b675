// SpanFields.swift — the name, attributes, events, links and status of one span being written.
import TracegateContext

/// What a ``SpanBatchWriter/span(_:_:)`` body writes. Keys are `StaticString`s (semantic
/// convention names are constants) and values come as raw bytes, numbers or existing strings, so
/// writing an attribute allocates nothing.
public struct SpanFields {
    var w: ProtobufWriter

    /// `name` = `first` (+ " " + `second`), e.g. "GET" and "/api/*".
    public mutating func name(_ first: String, _ second: String? = nil) {
        let at = w.openMessage(5)
        w.raw(first)
        if let second {
            w.raw(byte: 0x20)
            w.raw(second)
        }
        w.closeMessage(at)
    }

    private mutating func attribute(_ key: StaticString, _ value: (inout ProtobufWriter) -> Void) {
        let kv = w.openMessage(9)                       // Span.attributes: KeyValue
        w.tag(1, .lengthDelimited)                      // key
        w.varint(UInt64(key.utf8CodeUnitCount))
        w.raw(key)
        let any = w.openMessage(2)                      // value: AnyValue
        value(&w)
        w.closeMessage(any)
        w.closeMessage(kv)
    }

    public mutating func attribute(_ key: StaticString, _ value: UnsafeRawBufferPointer) {
        attribute(key) { $0.string(1, bytes: value, always: true) }
    }

    public mutating func attribute(_ key: StaticString, _ value: String) {
        attribute(key) { $0.stringAlways(1, value) }
    }

    public mutating func attribute(_ key: StaticString, _ value: StaticString) {
        attribute(key) { $0.string(1, bytes: UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount), always: true) }
    }

    /// A string attribute whose value `compose` appends piece by piece (`raw…` calls on the writer
    /// it gets), e.g. a URL built from parts.
    public mutating func attribute(_ key: StaticString, composing compose: (inout StringComposer) -> Void) {
        attribute(key) { w in
            let at = w.openMessage(1)
            var composer = StringComposer(w: w)
            compose(&composer)
            w.closeMessage(at)
        }
    }

    public mutating func attribute(_ key: StaticString, int value: Int64) {
        attribute(key) { w in
            w.tag(3, .varint)
            w.varint(UInt64(bitPattern: value))
        }
    }

    public mutating func attribute(_ key: StaticString, bool value: Bool) {
        attribute(key) { w in
            w.tag(2, .varint)
            w.varint(value ? 1 : 0)
        }
    }

    /// A string attribute holding `value` in decimal (e.g. `error.type` = "503").
    public mutating func attribute(_ key: StaticString, decimal value: Int) {
        attribute(key) { w in
            let at = w.openMessage(1)
            w.rawDecimal(UInt64(max(0, value)))
            w.closeMessage(at)
        }
    }

    /// An event with a name and a time, no attributes.
    public mutating func event(_ name: StaticString, timeUnixNanos: UInt64) {
        let at = w.openMessage(11)
        w.fixed64(1, timeUnixNanos)
        w.string(2, bytes: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        w.closeMessage(at)
    }

    /// An event with one string attribute (e.g. why a retry was given up).
    public mutating func event(_ name: StaticString, timeUnixNanos: UInt64, key: StaticString, value: String) {
        let at = w.openMessage(11)
        w.fixed64(1, timeUnixNanos)
        w.string(2, bytes: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        let kv = w.openMessage(3)
        w.tag(1, .lengthDelimited)
        w.varint(UInt64(key.utf8CodeUnitCount))
        w.raw(key)
        let any = w.openMessage(2)
        w.stringAlways(1, value)
        w.closeMessage(any)
        w.closeMessage(kv)
        w.closeMessage(at)
    }

    /// A link to another span, with one string attribute saying why.
    public mutating func link(traceID: TraceID, spanID: SpanID, sampled: Bool, reasonKey: StaticString, reason: StaticString) {
        let at = w.openMessage(13)
        w.id(1, hi: traceID.hi, lo: traceID.lo)
        w.id(2, spanID.rawValue)
        let kv = w.openMessage(4)
        w.tag(1, .lengthDelimited)
        w.varint(UInt64(reasonKey.utf8CodeUnitCount))
        w.raw(reasonKey)
        let any = w.openMessage(2)
        w.string(1, bytes: UnsafeRawBufferPointer(start: reason.utf8Start, count: reason.utf8CodeUnitCount), always: true)
        w.closeMessage(any)
        w.closeMessage(kv)
        w.fixed32(6, OTLPEncoder.flags(sampled: sampled, isRemote: nil))
        w.closeMessage(at)
    }

    /// Status ERROR with `message`.
    public mutating func error(_ message: StaticString) {
        let at = w.openMessage(15)
        w.string(2, bytes: UnsafeRawBufferPointer(start: message.utf8Start, count: message.utf8CodeUnitCount))
        w.uint(3, 2)
        w.closeMessage(at)
    }

    /// Status ERROR with "HTTP <status>".
    public mutating func error(httpStatus: Int) {
        let at = w.openMessage(15)
        let m = w.openMessage(2)
        w.raw("HTTP ")
        w.rawDecimal(UInt64(max(0, httpStatus)))
        w.closeMessage(m)
        w.uint(3, 2)
        w.closeMessage(at)
    }
}

/// Appends the pieces of one string value (see ``SpanFields/attribute(_:composing:)``).
public struct StringComposer {
    var w: ProtobufWriter

    public mutating func append(_ bytes: UnsafeRawBufferPointer) { w.raw(bytes) }
    public mutating func append(_ text: String) { w.raw(text) }
    public mutating func append(_ text: StaticString) { w.raw(text) }
    public mutating func append(byte: UInt8) { w.raw(byte: byte) }
    public mutating func append(decimal value: UInt64) { w.rawDecimal(value) }
}
