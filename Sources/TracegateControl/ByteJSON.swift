// ByteJSON: a JSON object writer over a reused byte buffer, for per-request lines.
import Glibc
import TracegateContext
import TracegateHTTP

/// Writes one JSON object into `bytes` without creating a `String` per field. The access log and
/// `/debug/requests` format a line per request with it; escaping follows RFC 8259 §7.
struct ByteJSON {
    /// The output, in a raw buffer: appends are memcpy, not per-byte Array growth. The owner calls
    /// `release()` when done (the access-log thread keeps one for its lifetime).
    var out = IOBuffer(capacity: 4096)
    private var first = true
    private var cachedSecond = -1
    private var cachedPrefix: [UInt8] = []

    init() {}

    var text: String { String(decoding: out.readable, as: UTF8.self) }

    mutating func reset() { out.clear() }

    mutating func release() { out.release() }

    mutating func raw(_ s: StaticString) { out.append(s) }

    /// A bare decimal number (no key), for hand-assembled wrappers around objects.
    mutating func rawDecimal(_ v: UInt64) { out.appendDecimal(v) }

    mutating func begin() {
        out.append(byte: 0x7B)
        first = true
    }

    mutating func end() { out.append(byte: 0x7D) }

    /// `"k":[` … `]` with `body` writing the elements; `element()` separates them. Nested objects
    /// use `begin()`/`end()`.
    mutating func array(_ k: StaticString, _ body: (inout ByteJSON) -> Void) {
        key(k)
        out.append(byte: 0x5B)
        body(&self)
        out.append(byte: 0x5D)
        first = false
    }

    /// Writes the comma before every element of an array but the first.
    mutating func element(_ index: Int) {
        if index > 0 { out.append(byte: 0x2C) }
    }

    private mutating func key(_ k: StaticString) {
        if first { first = false } else { out.append(byte: 0x2C) }
        out.append(byte: 0x22)
        out.append(k)
        out.append("\":")
    }

    mutating func string(_ k: StaticString, _ value: UnsafeRawBufferPointer) {
        key(k)
        quoted(value)
    }

    mutating func string(_ k: StaticString, _ value: String) {
        var v = value
        v.withUTF8 { string(k, UnsafeRawBufferPointer($0)) }
    }

    mutating func string(_ k: StaticString, _ value: StaticString) {
        string(k, UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    /// A list of header lines as an array of `[name, value]` pairs (order and repeats kept).
    mutating func headers(_ k: StaticString, _ list: [(name: String, value: String)]) {
        key(k)
        out.append(byte: 0x5B)
        for (i, h) in list.enumerated() {
            if i > 0 { out.append(byte: 0x2C) }
            out.append(byte: 0x5B)
            var n = h.name
            n.withUTF8 { quoted(UnsafeRawBufferPointer($0)) }
            out.append(byte: 0x2C)
            var v = h.value
            v.withUTF8 { quoted(UnsafeRawBufferPointer($0)) }
            out.append(byte: 0x5D)
        }
        out.append(byte: 0x5D)
    }

    /// An IPv4 address (host byte order) as dotted decimal, optionally with ":port", without Strings.
    mutating func ipv4(_ k: StaticString, _ a: UInt32, port: UInt16? = nil) {
        key(k)
        out.append(byte: 0x22)
        out.appendDecimal(Int(a >> 24)); out.append(byte: 0x2E)
        out.appendDecimal(Int((a >> 16) & 0xFF)); out.append(byte: 0x2E)
        out.appendDecimal(Int((a >> 8) & 0xFF)); out.append(byte: 0x2E)
        out.appendDecimal(Int(a & 0xFF))
        if let port {
            out.append(byte: 0x3A)
            out.appendDecimal(Int(port))
        }
        out.append(byte: 0x22)
    }

    mutating func int(_ k: StaticString, _ value: Int) {
        key(k)
        decimal(UInt64(max(0, value)), negative: value < 0)
    }

    mutating func uint(_ k: StaticString, _ value: UInt64) {
        key(k)
        decimal(value, negative: false)
    }

    mutating func bool(_ k: StaticString, _ value: Bool) {
        key(k)
        out.append(value ? "true" : "false")
    }

    /// Milliseconds with microsecond precision from nanoseconds ("12.345").
    mutating func millis(_ k: StaticString, nanos: UInt64) {
        key(k)
        let micros = nanos / 1000
        decimal(micros / 1000, negative: false)
        out.append(byte: 0x2E)
        threeDigits(micros % 1000)
    }

    mutating func hex(_ k: StaticString, trace: TraceID) {
        key(k)
        out.append(byte: 0x22)
        if trace.isValid {
            out.reserve(minimumWritable: 32)
            out.moveWriterIndex(by: trace.writeHex(to: out.writable.baseAddress!))
        }
        out.append(byte: 0x22)
    }

    mutating func hex(_ k: StaticString, span: SpanID) {
        key(k)
        out.append(byte: 0x22)
        if span.isValid {
            out.reserve(minimumWritable: 16)
            out.moveWriterIndex(by: span.writeHex(to: out.writable.baseAddress!))
        }
        out.append(byte: 0x22)
    }

    /// RFC 3339 UTC with milliseconds; the date-time prefix is cached per second.
    mutating func time(_ k: StaticString, wallNanos: UInt64) {
        key(k)
        let second = Int(wallNanos / 1_000_000_000)
        if second != cachedSecond {
            var t = second
            var parts = tm()
            gmtime_r(&t, &parts)
            var p: [UInt8] = []
            func two(_ v: Int32) { p.append(UInt8(ascii: "0") + UInt8(v / 10)); p.append(UInt8(ascii: "0") + UInt8(v % 10)) }
            let year = parts.tm_year + 1900
            two(year / 100); two(year % 100); p.append(UInt8(ascii: "-"))
            two(parts.tm_mon + 1); p.append(UInt8(ascii: "-")); two(parts.tm_mday); p.append(UInt8(ascii: "T"))
            two(parts.tm_hour); p.append(UInt8(ascii: ":")); two(parts.tm_min); p.append(UInt8(ascii: ":")); two(parts.tm_sec)
            cachedPrefix = p
            cachedSecond = second
        }
        out.append(byte: 0x22)
        cachedPrefix.withUnsafeBytes { out.append($0) }
        out.append(byte: 0x2E)
        threeDigits((wallNanos / 1_000_000) % 1000)
        out.append("Z\"")
    }

    private mutating func threeDigits(_ v: UInt64) {
        out.append(byte: 0x30 + UInt8(v / 100))
        out.append(byte: 0x30 + UInt8((v / 10) % 10))
        out.append(byte: 0x30 + UInt8(v % 10))
    }

    private mutating func decimal(_ v: UInt64, negative: Bool) {
        if negative { out.append(byte: 0x2D) }
        out.appendDecimal(v)
    }

    /// Quoted and escaped; runs without special bytes are copied in one piece.
    private mutating func quoted(_ value: UnsafeRawBufferPointer) {
        out.append(byte: 0x22)
        var start = 0
        for (i, b) in value.enumerated() where b == 0x22 || b == 0x5C || b < 0x20 || b == 0x7F {
            if i > start { out.append(UnsafeRawBufferPointer(rebasing: value[start..<i])) }
            switch b {
            case 0x22: out.append("\\\"")
            case 0x5C: out.append("\\\\")
            default:
                let hex: StaticString = "0123456789abcdef"
                out.append("\\u00")
                out.append(byte: hex.utf8Start[Int(b >> 4)])
                out.append(byte: hex.utf8Start[Int(b & 0xF)])
            }
            start = i + 1
        }
        if value.count > start { out.append(UnsafeRawBufferPointer(rebasing: value[start...])) }
        out.append(byte: 0x22)
    }
}
