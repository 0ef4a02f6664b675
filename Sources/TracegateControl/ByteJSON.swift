// ByteJSON: a JSON object writer over a reused byte buffer, for per-request lines.
import Glibc
import TracegateContext

/// Writes one JSON object into `bytes` without creating a `String` per field. The access log and
/// `/debug/requests` format a line per request with it; escaping follows RFC 8259 §7.
struct ByteJSON {
    var bytes: [UInt8] = []
    private var first = true
    private var cachedSecond = -1
    private var cachedPrefix: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func begin() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func end() { bytes.append(UInt8(ascii: "}")) }

    private mutating func key(_ k: StaticString) {
        if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
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
        bytes.append(UInt8(ascii: "["))
        for (i, h) in list.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            var n = h.name
            n.withUTF8 { quoted(UnsafeRawBufferPointer($0)) }
            bytes.append(UInt8(ascii: ","))
            var v = h.value
            v.withUTF8 { quoted(UnsafeRawBufferPointer($0)) }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
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
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    /// Milliseconds with microsecond precision from nanoseconds ("12.345").
    mutating func millis(_ k: StaticString, nanos: UInt64) {
        key(k)
        let micros = nanos / 1000
        decimal(micros / 1000, negative: false)
        bytes.append(UInt8(ascii: "."))
        let frac = micros % 1000
        bytes.append(UInt8(ascii: "0") + UInt8(frac / 100))
        bytes.append(UInt8(ascii: "0") + UInt8((frac / 10) % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(frac % 10))
    }

    mutating func hex(_ k: StaticString, trace: TraceID) {
        key(k)
        bytes.append(UInt8(ascii: "\""))
        if trace.isValid {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: 32))
            _ = bytes.withUnsafeMutableBytes { trace.writeHex(to: $0.baseAddress! + start) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func hex(_ k: StaticString, span: SpanID) {
        key(k)
        bytes.append(UInt8(ascii: "\""))
        if span.isValid {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: 16))
            _ = bytes.withUnsafeMutableBytes { span.writeHex(to: $0.baseAddress! + start) }
        }
        bytes.append(UInt8(ascii: "\""))
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
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: cachedPrefix)
        let ms = (wallNanos / 1_000_000) % 1000
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(ms / 100))
        bytes.append(UInt8(ascii: "0") + UInt8((ms / 10) % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(ms % 10))
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    private mutating func decimal(_ v: UInt64, negative: Bool) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        if v == 0 { bytes.append(UInt8(ascii: "0")); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &digits) { d in
            while x > 0 { d[n] = UInt8(ascii: "0") + UInt8(x % 10); x /= 10; n += 1 }
            while n > 0 { n -= 1; bytes.append(d[n]) }
        }
    }

    private mutating func quoted(_ value: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        for b in value {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
