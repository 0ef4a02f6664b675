// JSONLogHandler: swift-log output as one JSON object per line.
import Foundation
import Logging
import Synchronization

/// Writes each operational log record as one JSON line (`{"time":…,"level":…,"event":<message>,
/// …metadata}`) to a file descriptor (stderr). One `write` per line under a lock, so lines from
/// several threads never interleave. The access log has its own batched handler (`LineSink`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let fd: Int32
    private static let lock = Mutex<Void>(())

    public init(fd: Int32) {
        self.fd = fd
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var json = JSONText()
        json.add("time", JSONLogHandler.timestamp())
        json.add("level", event.level.rawValue)
        json.add("event", event.message.description)
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        for k in merged.keys.sorted() { json.addRaw(k, JSONLogHandler.encode(merged[k]!)) }
        var line = json.finish()
        line += "\n"
        JSONLogHandler.lock.withLock { _ in
            var utf8 = line
            utf8.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        }
    }

    static func encode(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): return JSONText.quoted(s)
        case .stringConvertible(let c):
            if c is Int || c is Double || c is UInt64 { return c.description }
            if let b = c as? Bool { return b ? "true" : "false" }
            return JSONText.quoted(c.description)
        case .array(let a): return "[" + a.map(encode).joined(separator: ",") + "]"
        case .dictionary(let d):
            return "{" + d.keys.sorted().map { JSONText.quoted($0) + ":" + encode(d[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
