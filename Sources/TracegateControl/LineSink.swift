// LineSink: batched line output behind a swift-log handler.
import Glibc
import Logging
import Synchronization

/// Collects log lines in memory and writes them with one `write` per flush, so the access log costs
/// a syscall per batch rather than per request. `BufferedLineHandler` is the swift-log face of it.
final class LineSink: Sendable {
    private let fd: Int32
    private let buffer = Mutex<[UInt8]>([])

    init(fd: Int32) { self.fd = fd }

    func append(_ line: String) {
        buffer.withLock { b in
            b.append(contentsOf: line.utf8)
            b.append(0x0A)
        }
    }

    func flush() {
        let bytes = buffer.withLock { b -> [UInt8] in
            defer { b.removeAll(keepingCapacity: true) }
            return b
        }
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }
}

/// A swift-log handler whose messages are complete lines (the access log's JSON objects).
struct BufferedLineHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let sink: LineSink

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { sink.append(event.message.description) }
}
